// What counts as changed (docs/compare.md): the timing noise threshold, each kind of content change, what never
// counts (ids, times, attribute order, event times), and a pair in full with its text diffs.
import * as assert from 'node:assert/strict';
import { alignRuns } from '../../../extension/src/core/compare/alignment';
import { scanChanges, timeChanged } from '../../../extension/src/core/compare/changeScan';
import { Change, MatchKind } from '../../../extension/src/core/compare/comparison';
import { diffPair } from '../../../extension/src/core/compare/pairDiff';
import { rollUp } from '../../../extension/src/core/compare/rollUp';
import type { AnyValue } from '../../../extension/src/core/model/anyValue';
import { StatusCode } from '../../../extension/src/core/model/span';
import { type SpanSpec, makeSpan } from '../store/spanFactory';
import { runOf } from './compareHelpers';

/** Compares a root span with one child as in `a` against the same as in `b`; the bits of the child's pair. */
function childChange(a: Partial<SpanSpec>, b: Partial<SpanSpec>): { bits: number; al: ReturnType<typeof alignRuns>; changes: Uint16Array } {
  const run = (child: Partial<SpanSpec>) =>
    runOf([makeSpan({ traceId: 't', spanId: 'r', name: 'agent', start: 0, end: 100 }), makeSpan({ traceId: 't', spanId: 'c', parent: 'r', name: 'call', start: 10, end: 20, ...child })]);
  const al = alignRuns(run(a), run(b));
  const changes = scanChanges(al);
  return { bits: changes[1]!, al, changes };
}

const attrs = (a: Record<string, AnyValue>): Partial<SpanSpec> => ({ attrs: a });

describe('core/compare change scan', () => {
  it('times change beyond the noise: at least 1 ms and at least 10 % of A', () => {
    assert.equal(timeChanged(10e6, 10.9e6), false);
    assert.equal(timeChanged(10e6, 11e6), true);
    assert.equal(timeChanged(10e6, 9e6), true);
    assert.equal(timeChanged(0.2e6, 0.9e6), false, 'under 1 ms');
    assert.equal(timeChanged(40e9, 40.5e9), false, 'under 10 %');
    assert.equal(timeChanged(0, 1e6), true);
  });

  it('duration and self time', () => {
    assert.equal(childChange({}, { end: 25 }).bits, Change.duration | Change.selfTime);
    const { changes } = childChange({}, { end: 25 });
    // The root: same duration, 5 ms less self time (of 90 ms: under 10 %).
    assert.equal(changes[0], 0);
    assert.equal(childChange({}, { end: 20.5 }).bits, 0, 'half a millisecond is noise');
  });

  it('status, with its message', () => {
    assert.equal(childChange({}, { status: StatusCode.Error, statusMessage: 'boom' }).bits, Change.status);
    assert.equal(childChange({ status: StatusCode.Error, statusMessage: 'boom: 7' }, { status: StatusCode.Error, statusMessage: 'boom: 8' }).bits, Change.status);
    assert.equal(childChange({ status: StatusCode.Ok }, { status: StatusCode.Ok }).bits, 0);
  });

  it('model, usage, tool arguments and result, messages, other attributes, events: one bit each', () => {
    const tool = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' };
    assert.equal(childChange(attrs({ 'gen_ai.request.model': 'gpt-4o' }), attrs({ 'gen_ai.request.model': 'gpt-4.1' })).bits, Change.model);
    assert.equal(childChange(attrs({ 'gen_ai.usage.input_tokens': 10n }), attrs({ 'gen_ai.usage.input_tokens': 12n })).bits, Change.usage);
    assert.equal(childChange(attrs({ 'gen_ai.usage.cost': 0.1 }), attrs({})).bits, Change.usage);
    assert.equal(childChange(attrs({ ...tool, 'gen_ai.tool.call.arguments': '{"q":"a"}' }), attrs({ ...tool, 'gen_ai.tool.call.arguments': '{"q":"b"}' })).bits, Change.toolArguments);
    assert.equal(childChange(attrs({ ...tool, 'gen_ai.tool.call.result': 'Paris' }), attrs({ ...tool, 'gen_ai.tool.call.result': 'Lyon' })).bits, Change.toolResult);
    const msgs = (text: string) => attrs({ 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]) });
    assert.equal(childChange(msgs('capital of France?'), msgs('capital of Italy?')).bits, Change.messages);
    assert.equal(childChange(attrs({ 'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"Paris"}]}]' }), attrs({})).bits, Change.messages);
    assert.equal(childChange(attrs({ custom: 'x' }), attrs({ custom: 'y' })).bits, Change.attributes);
    assert.equal(childChange(attrs({ custom: 'x' }), attrs({})).bits, Change.attributes, 'present on one side only');
    assert.equal(childChange({ events: [{ name: 'retry' }] }, { events: [{ name: 'retry', attrs: { n: 2n } }] }).bits, Change.events);
    assert.equal(childChange({ events: [{ name: 'retry' }] }, {}).bits, Change.events);
  });

  it('ids, times, attribute order and event times never count', () => {
    assert.equal(childChange(attrs({ 'gen_ai.response.id': 'chatcmpl-1', 'gen_ai.tool.call.id': 'call_1', 'thread.id': 3n, created_at: 'x', 'latency.ms': 12 }), attrs({ 'gen_ai.response.id': 'chatcmpl-2', 'gen_ai.tool.call.id': 'call_2', 'thread.id': 4n, created_at: 'y', 'latency.ms': 40 })).bits, 0);
    assert.equal(childChange(attrs({ x: 1n, y: 'two' }), attrs({ y: 'two', x: 1n })).bits, 0);
    assert.equal(childChange({ events: [{ name: 'step', time: 11, attrs: { n: 1n } }] }, { events: [{ name: 'step', time: 15, attrs: { n: 1n } }] }).bits, 0);
    // Tool call ids inside messages do not count either: messages are compared as chat text.
    const call = (id: string) => attrs({ 'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', id, name: 'search', arguments: '{"q":"x"}' }] }]) });
    assert.equal(childChange(call('call_a'), call('call_b')).bits, 0);
  });

  it('a pair in full: texts diffed, attributes by key, the exception, usage of the span and of its subtree', () => {
    const a = {
      status: StatusCode.Error,
      statusMessage: 'boom: 7',
      attrs: {
        'gen_ai.input.messages': JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
          { role: 'user', parts: [{ type: 'text', content: 'What is the capital of France?' }] },
        ]),
        'gen_ai.usage.input_tokens': 20n,
        'gen_ai.request.model': 'm1',
        temperature: 0.2,
      },
      events: [{ name: 'exception', attrs: { 'exception.type': 'ValueError', 'exception.message': 'boom: 7' } }],
    };
    const b = {
      attrs: {
        'gen_ai.input.messages': JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
          { role: 'user', parts: [{ type: 'text', content: 'What is the capital of Italy?' }] },
        ]),
        'gen_ai.usage.input_tokens': 22n,
        'gen_ai.request.model': 'm1',
        temperature: 0.7,
      },
    };
    const { al, changes } = childChange(a, b);
    assert.equal(changes[1], Change.status | Change.usage | Change.messages | Change.attributes | Change.events);
    const d = diffPair(al, changes, 1);
    assert.equal(d.match, MatchKind.path);
    assert.equal(d.name, 'call');
    assert.deepEqual(d.status, { a: 'error', b: 'unset', messageA: 'boom: 7', messageB: '', exceptionA: 'ValueError: boom: 7', exceptionB: undefined });
    assert.deepEqual(d.usage, { a: { inputTokens: 20 }, b: { inputTokens: 22 } });
    assert.deepEqual(d.subtreeUsage, { a: { inputTokens: 20 }, b: { inputTokens: 22 } });
    assert.deepEqual(d.model, { a: 'm1', b: 'm1' });
    assert.deepEqual(d.attributes, [{ key: 'temperature', a: '0.2', b: '0.7' }]);
    assert.equal(d.toolArguments, undefined);
    assert.equal(d.outputMessages, undefined);
    const input = d.inputMessages!;
    assert.equal(input.a, 'system: Be brief.\nuser: What is the capital of France?');
    assert.deepEqual(
      input.parts.filter(p => p.kind !== 'same'),
      [
        { kind: 'removed', text: 'user: What is the capital of France?' },
        { kind: 'added', text: 'user: What is the capital of Italy?' },
      ],
    );
    assert.equal(d.durationNanos.a, 10e6);
    assert.equal(d.selfNanos.b, 10e6);
  });

  it('rolls changes up to every ancestor', () => {
    const run = (end: number) =>
      runOf([
        makeSpan({ traceId: 't', spanId: 'r', name: 'root', start: 0, end: 100 }),
        makeSpan({ traceId: 't', spanId: 'm', parent: 'r', name: 'mid', start: 1, end: 90 }),
        makeSpan({ traceId: 't', spanId: 'l', parent: 'm', name: 'leaf', start: 2, end }),
        makeSpan({ traceId: 't', spanId: 'o', parent: 'r', name: 'other', start: 91, end: 92 }),
      ]);
    const al = alignRuns(run(10), run(30));
    const changes = scanChanges(al);
    const up = rollUp(al, changes);
    // leaf: duration + self time; mid: self time (88 → 68 ms); root unchanged; other unchanged.
    assert.deepEqual([...changes], [0, Change.selfTime, Change.duration | Change.selfTime, 0]);
    assert.deepEqual([...up.changedBelow], [2, 2, 1, 0]);
    assert.deepEqual([...up.changesBelow], [Change.duration | Change.selfTime, Change.duration | Change.selfTime, Change.duration | Change.selfTime, 0]);
  });
});
