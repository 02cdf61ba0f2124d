import * as assert from 'node:assert/strict';
import { conversationOf, modelOf, toolArgumentsOf, toolCallIdOf, toolNameOf, toolResultOf } from '../../../extension/src/core/semantics/genAiFacts';
import { combineUsage, ownUsage } from '../../../extension/src/core/semantics/usage';
import { makeSpan } from '../store/spanFactory';

describe('core/semantics GenAI facts', () => {
  it('reads own usage from each dialect, with totals and cost parts', () => {
    const cases: [Record<string, unknown>, object][] = [
      [{ 'gen_ai.usage.input_tokens': 10n, 'gen_ai.usage.output_tokens': 4n }, { inputTokens: 10, outputTokens: 4, totalTokens: 14 }],
      [{ 'gen_ai.usage.prompt_tokens': 3n, 'gen_ai.usage.completion_tokens': 2n, 'gen_ai.usage.total_tokens': 6n }, { inputTokens: 3, outputTokens: 2, totalTokens: 6 }],
      [{ 'llm.token_count.prompt': 7n, 'llm.token_count.completion': 1n, 'llm.token_count.total': 8n, 'llm.cost.total': 0.01 }, { inputTokens: 7, outputTokens: 1, totalTokens: 8, cost: 0.01 }],
      [{ 'llm.usage.total_tokens': 99n }, { totalTokens: 99 }],
      [{ 'gen_ai.usage.cost.input_tokens': 0.1, 'gen_ai.usage.cost.output_tokens': 0.2, 'gen_ai.usage.cost.currency': 'USD' }, { cost: 0.30000000000000004, currency: 'USD' }],
      [{ 'gen_ai.usage.cache_read.input_tokens': 5n, 'gen_ai.usage.reasoning.output_tokens': 2n }, { cacheReadTokens: 5, reasoningTokens: 2 }],
      [{ 'gen_ai.usage.input_tokens': '12' }, { inputTokens: 12 }],
      [{ 'span.type': 'flow' }, {}],
    ];
    for (const [attrs, expected] of cases) assert.deepEqual(ownUsage(makeSpan({ spanId: '1', attrs: attrs as never })), expected, JSON.stringify(attrs, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
  });

  it('combines per field: own value wins, else the children sum; unknown stays unknown', () => {
    assert.deepEqual(combineUsage({ inputTokens: 5 }, [{ inputTokens: 1, outputTokens: 2 }, { outputTokens: 3, cost: 1 }]), { inputTokens: 5, outputTokens: 5, cost: 1 });
    assert.deepEqual(combineUsage({}, [{}, {}]), {});
  });

  it('reads model, tool name, call id, arguments and result across dialects', () => {
    const mc = makeSpan({ spanId: '1', attrs: { 'gen_ai.request.model': 'gpt-4.1-mini', 'gen_ai.response.model': 'gpt-4.1-mini-2025' } });
    assert.equal(modelOf(mc), 'gpt-4.1-mini-2025');
    assert.equal(modelOf(makeSpan({ spanId: '2', attrs: { 'llm.model_name': 'claude' } })), 'claude');
    const tool = makeSpan({
      spanId: '3',
      attrs: { 'gen_ai.tool.name': 'get_capital', 'gen_ai.tool.call.id': 'call_1', 'gen_ai.tool.call.arguments': '{"country":"France"}', 'gen_ai.tool.response': 'Paris' },
    });
    assert.deepEqual([toolNameOf(tool), toolCallIdOf(tool), toolArgumentsOf(tool), toolResultOf(tool)], ['get_capital', 'call_1', '{"country":"France"}', 'Paris']);
    const oi = makeSpan({ spanId: '4', attrs: { 'tool.name': 'search', 'input.value': 'q', 'output.value': 'r' } });
    assert.deepEqual([toolNameOf(oi), toolArgumentsOf(oi), toolResultOf(oi)], ['search', 'q', 'r']);
    assert.equal(toolNameOf(makeSpan({ spanId: '5' })), undefined);
  });

  it('reads messages in the semconv JSON form with tool calls', () => {
    const span = makeSpan({
      spanId: '1',
      attrs: {
        'gen_ai.system_instructions': 'be brief',
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] }]),
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_capital', arguments: { country: 'France' } }] },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'Paris' }] },
        ]),
      },
    });
    assert.deepEqual(conversationOf(span), {
      system: 'be brief',
      source: 'gen_ai.messages',
      input: [{ role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] }],
      output: [
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_capital', arguments: '{"country":"France"}' }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', result: 'Paris' }] },
      ],
    });
  });

  it('reads OpenLLMetry and OpenInference indexed messages, and the old gen_ai.prompt', () => {
    const ll = makeSpan({
      spanId: '1',
      attrs: {
        'gen_ai.prompt.1.role': 'user',
        'gen_ai.prompt.1.content': 'second',
        'gen_ai.prompt.0.role': 'system',
        'gen_ai.prompt.0.content': 'first',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.tool_calls.0.name': 'f',
        'gen_ai.completion.0.tool_calls.0.arguments': '{}',
      },
    });
    const c = conversationOf(ll);
    assert.equal(c.source, 'openllmetry');
    assert.deepEqual(c.input.map(m => [m.role, m.parts[0]]), [['system', { type: 'text', content: 'first' }], ['user', { type: 'text', content: 'second' }]]);
    assert.deepEqual(c.output[0]!.parts, [{ type: 'tool_call', name: 'f', arguments: '{}' }]);
    const oi = makeSpan({ spanId: '2', attrs: { 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'hi', 'llm.output_messages.0.message.role': 'assistant', 'llm.output_messages.0.message.content': 'yo' } });
    assert.deepEqual(conversationOf(oi), { source: 'openinference', input: [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }], output: [{ role: 'assistant', parts: [{ type: 'text', content: 'yo' }] }] });
    const old = makeSpan({ spanId: '3', attrs: { 'gen_ai.prompt': JSON.stringify([{ role: 'user', content: 'q' }]), 'gen_ai.completion': 'a' } });
    assert.deepEqual(conversationOf(old), { source: 'gen_ai.prompt', input: [{ role: 'user', parts: [{ type: 'text', content: 'q' }] }], output: [{ role: 'assistant', parts: [{ type: 'text', content: 'a' }] }] });
    assert.equal(conversationOf(makeSpan({ spanId: '4' })).source, 'none');
  });
});
