import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nameKey, nameQueryOf, namesMatch, rankSymbols } from '../../../extension/src/core/source/nameMatching';
import { SymbolIndex } from '../../../extension/src/core/source/symbolIndex';
import { scanSymbols } from '../../../extension/src/core/source/symbolScanner';
import { MSGTRACE_SCOPE, makeSpan } from '../store/spanFactory';

const DEMO = join(process.cwd(), 'examples/agent-demo/demo_program.py');

function demoIndex(): SymbolIndex {
  const index = new SymbolIndex();
  index.set('demo_program.py', scanSymbols(readFileSync(DEMO, 'utf8'), 'python'));
  return index;
}

const msgflux = (name: string) => makeSpan({ spanId: '1', name, scope: MSGTRACE_SCOPE, attrs: { 'span.type': 'flow' } });

describe('core/source name matching', () => {
  it('matches Title-Cased msgflux names with the names they came from (docs/msgflux-wire.md#span-names)', () => {
    assert.ok(namesMatch('My Agent', 'MyAgent'));
    assert.ok(namesMatch('Get Capital', 'get_capital'));
    assert.ok(namesMatch('Myagent Tool Library', 'MyAgent_tool_library'));
    assert.ok(namesMatch('Fs  Read File', 'fs__read_file'));
    assert.ok(!namesMatch('My Agent', 'MyAgents'));
    assert.ok(!namesMatch('', ''), 'an empty name matches nothing');
    assert.equal(nameKey('user.instrumented_function'), 'userinstrumentedfunction');
  });

  it('asks by name only for msgflux spans and spans that name their tool', () => {
    assert.deepEqual(nameQueryOf(msgflux('My Agent'), 'agent')?.names, ['My Agent']);
    assert.deepEqual(nameQueryOf(msgflux('Myagent Tool Library'), 'module')?.names, ['Myagent Tool Library', 'Myagent']);
    // An operation name of a generic span is not a definition.
    assert.equal(nameQueryOf(makeSpan({ spanId: '1', name: 'GET /users' }), 'generic'), undefined);
    const tool = nameQueryOf(makeSpan({ spanId: '1', name: 'execute_tool get_capital', attrs: { 'gen_ai.tool.name': 'get_capital' } }), 'tool');
    assert.deepEqual(tool?.names, ['get_capital']);
    assert.equal(tool?.prefer[0], 'function');
  });

  it('resolves the demo program\'s spans to their definitions', () => {
    const index = demoIndex();
    const find = (name: string, cls: Parameters<typeof nameQueryOf>[1]) => {
      const [best] = rankSymbols(nameQueryOf(msgflux(name), cls)!, n => index.lookup(n));
      return best && `${best.kind} ${best.name}:${best.line}`;
    };
    assert.equal(find('My Agent', 'agent'), 'agent MyAgent:148');
    assert.equal(find('Doubler', 'module'), 'class Doubler:90');
    assert.equal(find('Pipeline', 'flow'), 'class Pipeline:97');
    assert.equal(find('Get Capital', 'tool'), 'function get_capital:82');
    assert.equal(find('Myagent Tool Library', 'module'), 'agent MyAgent:148');
    assert.equal(find('user.instrumented_function', 'functional'), 'span user.instrumented_function:117');
    assert.equal(find('documented_attributes_form', 'functional'), 'function documented_attributes_form:125');
    assert.equal(find('Generator', 'module'), undefined, 'msgflux\'s own modules are not in the workspace');
  });

  it('ranks by the kind a span class prefers, and derived classes over bare ones', () => {
    const index = new SymbolIndex();
    index.set('a.py', scanSymbols('class Search:\n    pass\n\ndef search(q):\n    pass\n\nclass Search2(nn.Module):\n    pass\n', 'python'));
    index.set('b.py', scanSymbols('class Search(nn.Module):\n    pass\n', 'python'));
    const order = (cls: Parameters<typeof nameQueryOf>[1]) => rankSymbols(nameQueryOf(msgflux('Search'), cls)!, n => index.lookup(n)).map(s => `${s.file}:${s.kind}:${s.line}`);
    assert.deepEqual(order('module'), ['b.py:class:1', 'a.py:class:1', 'a.py:function:4']);
    assert.deepEqual(order('functional'), ['a.py:function:4', 'b.py:class:1', 'a.py:class:1']);
  });
});
