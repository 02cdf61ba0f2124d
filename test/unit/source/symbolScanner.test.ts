import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SymbolIndex } from '../../../extension/src/core/source/symbolIndex';
import { type SourceSymbol, scanLanguageOf, scanSymbols } from '../../../extension/src/core/source/symbolScanner';

const DEMO = join(process.cwd(), 'examples/agent-demo/demo_program.py');
const brief = (symbols: readonly SourceSymbol[]) => symbols.map(s => `${s.kind} ${s.container ? `${s.container}.` : ''}${s.name}:${s.line}`);

describe('core/source symbol scanner', () => {
  it('finds the definitions of the real msgflux demo program, with their lines', () => {
    const symbols = scanSymbols(readFileSync(DEMO, 'utf8'), 'python');
    assert.deepEqual(brief(symbols), [
      'class StubChatModel:45',
      'method StubChatModel.__init__:48',
      'method StubChatModel._initialize:54',
      'method StubChatModel._answer:57',
      'method StubChatModel.__call__:75',
      'method StubChatModel.acall:78',
      'function get_capital:82',
      'class Doubler:90',
      'method Doubler.forward:93',
      'class Pipeline:97',
      'method Pipeline.__init__:100',
      'method Pipeline.forward:104',
      'class Exploder:110',
      'method Exploder.forward:113',
      'span user.instrumented_function:117',
      'function user_function:118',
      'function documented_attributes_form:125',
      'function square:131',
      'function cube:135',
      'function run_main:139',
      'agent MyAgent:148',
      'function async_part:151',
      'span manual.flow:166',
      'span manual.module:168',
      'span manual.leaf:170',
      'function _acube:174',
      'function run_active_parent:178',
      'agent MyAgent:182',
      'span user.request:184',
    ]);
    const doubler = symbols.find(s => s.name === 'Doubler')!;
    assert.deepEqual(doubler.bases, ['nn.Module']);
    assert.equal(doubler.column, 'class '.length);
    const agent = symbols.find(s => s.kind === 'agent')!;
    // The column points at the name inside the string, where a CodeLens and a hover anchor.
    assert.equal(agent.column, '    agent = nn.Agent("'.length);
  });

  it('ignores definitions inside docstrings and comments, and reads agents named by keyword or on the next line', () => {
    const text = [
      'class Real(nn.Module):',
      '    """Docstring that talks about code:',
      '    class Fake(nn.Module):',
      '        nn.Agent("Nope", model)',
      '    """',
      '    x = """one line""" ; y = 1',
      '    def method(self):',
      '        pass',
      '# class Commented:',
      '# nn.Agent("AlsoNope")',
      'helper = nn.Agent(',
      '    "Multi_Line",',
      '    model,',
      ')',
      'other = Agent(model, name="by_keyword")',
      'ChatAgent("NotAnAgentCall")',
      "s = '# not a comment'; t = '''",
      'def inside_string(): pass',
      "'''",
      'def after(): pass',
    ].join('\n');
    assert.deepEqual(brief(scanSymbols(text, 'python')), ['class Real:1', 'method Real.method:7', 'agent Multi_Line:12', 'agent by_keyword:15', 'function after:20']);
  });

  it('scans TypeScript: classes, methods, functions, arrow functions, agents and spans, not comments', () => {
    const text = [
      'import { Agent } from "x";',
      '/* class Hidden {',
      '   function hidden() {} */',
      'export class Planner extends BaseAgent {',
      '  private readonly x = 1;',
      '  async plan(goal: string): Promise<void> {',
      '    if (goal) {',
      '      await tracer.startActiveSpan("plan.step", async span => span.end());',
      '    }',
      '  }',
      '}',
      'export async function runAll() {}',
      'const getWeather = async (city: string) => city;',
      'const notAFunction = compute(1);',
      "const writer = new Agent('Writer', model);",
      'function helper() {}',
    ].join('\n');
    assert.deepEqual(brief(scanSymbols(text, 'typescript')), [
      'class Planner:4',
      'method Planner.plan:6',
      'span plan.step:8',
      'function runAll:12',
      'function getWeather:13',
      'agent Writer:15',
      'function helper:16',
    ]);
  });

  it('knows which files it can scan', () => {
    assert.equal(scanLanguageOf('/a/b.py'), 'python');
    assert.equal(scanLanguageOf('C:\\a\\b.pyi'), 'python');
    assert.equal(scanLanguageOf('src/x.ts'), 'typescript');
    assert.equal(scanLanguageOf('src/x.mjs'), 'typescript');
    assert.equal(scanLanguageOf('src/x.go'), undefined);
    assert.equal(scanLanguageOf('README.md'), undefined);
  });

  it('indexes files by normalized name, and forgets a file when it changes or goes', () => {
    const index = new SymbolIndex();
    index.set('a.py', scanSymbols('class MyAgent(nn.Module):\n    pass\n', 'python'));
    index.set('b.py', scanSymbols('agent = nn.Agent("my_agent", model)\n', 'python'));
    assert.deepEqual(index.lookup('My Agent').map(s => `${s.file}:${s.line}:${s.kind}`), ['a.py:1:class', 'b.py:1:agent']);
    index.set('a.py', scanSymbols('\n\nclass Other:\n    pass\n', 'python'));
    assert.deepEqual(index.lookup('MyAgent').map(s => s.file), ['b.py']);
    assert.deepEqual(index.lookup('other').map(s => s.line), [3]);
    index.delete('b.py');
    assert.deepEqual(index.lookup('myagent'), []);
    assert.equal(index.fileCount, 1);
  });
});
