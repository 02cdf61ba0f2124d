import * as assert from 'node:assert/strict';
import { command, commandParser, notification } from '../../extension/src/protocol/ipc';
import { type Infer, integer, object, text } from '../../extension/src/protocol/schema';
import {
  DidReportNotification,
  OpenSourceCommand,
  ReadyCommand,
  type SourceLocation,
  TIMELINE_COMMANDS,
  TIMELINE_NOTIFICATIONS,
} from '../../extension/src/protocol/timelineProtocol';

describe('webview protocol', () => {
  const DidPing = notification<{ n: number }>()('ping/didHappen');
  const Pong = command('pong/send', object({ n: integer(0, 9) }));

  it('creates messages that its own guard accepts, and no other', () => {
    const message = DidPing.create({ n: 1 });
    assert.deepEqual(message, { method: 'ping/didHappen', params: { n: 1 } });
    assert.ok(DidPing.is(message));
    assert.ok(!Pong.is(message));
    assert.ok(!ReadyCommand.is(message));
    assert.ok(Pong.is(Pong.create({ n: 3 })));
  });

  it('rejects what is not a message at all (postMessage data is untrusted)', () => {
    for (const junk of [null, undefined, 42, 'webview/ready', [], {}, { method: 42 }, { method: 'webview/ready ' }]) {
      assert.ok(!ReadyCommand.is(junk), JSON.stringify(junk));
      assert.ok(!DidReportNotification.is(junk), JSON.stringify(junk));
    }
    assert.ok(ReadyCommand.is({ method: 'webview/ready', params: {} }));
  });

  it('checks a command against its params schema: a known method is not enough', () => {
    assert.deepEqual(Pong.parse({ method: 'pong/send', params: { n: 9 } }), { method: 'pong/send', params: { n: 9 } });
    for (const bad of [
      { method: 'pong/send', params: { n: 10 } },
      { method: 'pong/send', params: { n: 1.5 } },
      { method: 'pong/send', params: {} },
      { method: 'pong/send', params: { n: 1, m: 2 } },
      { method: 'pong/send', params: { n: 1 }, id: 3 },
      { method: 'pong/send' },
    ]) {
      assert.equal(Pong.parse(bad), undefined, JSON.stringify(bad));
      assert.ok(!Pong.is(bad));
    }
  });

  it('defines every method once, in one namespace of noun/verb names', () => {
    const methods = [...TIMELINE_COMMANDS, ...TIMELINE_NOTIFICATIONS].map(m => m.method);
    assert.equal(new Set(methods).size, methods.length, methods.join(' '));
    for (const m of methods) assert.match(m, /^[a-z]+\/[a-zA-Z]+$/);
    // The wire names: both ends ship together, but a log line or a saved session may still name them.
    assert.deepEqual(
      TIMELINE_COMMANDS.map(c => c.method),
      ['webview/ready', 'run/select', 'details/request', 'search/request', 'source/open', 'explorer/reveal', 'clipboard/copy', 'comparison/select', 'pair/request'],
    );
    assert.deepEqual(
      TIMELINE_NOTIFICATIONS.map(n => n.method),
      ['state/didChange', 'details/didLoad', 'search/didComplete', 'report/didShow', 'comparison/didChange', 'pair/didLoad'],
    );
  });

  it('parses a set of commands by method, and finds nothing for inherited property names', () => {
    const parse = commandParser([Pong, ReadyCommand] as const);
    assert.deepEqual(parse({ method: 'webview/ready', params: {} }), { method: 'webview/ready', params: {} });
    assert.deepEqual(parse({ method: 'pong/send', params: { n: 0 } }), { method: 'pong/send', params: { n: 0 } });
    for (const method of ['__proto__', 'constructor', 'toString', 'ping/didHappen']) assert.equal(parse({ method, params: {} }), undefined, method);
  });
});

describe('protocol schemas', () => {
  it('integers: safe, whole and within bounds', () => {
    const s = integer(1, 10);
    for (const ok of [1, 5, 10]) assert.ok(s.is(ok), String(ok));
    for (const bad of [0, 11, 1.5, NaN, Infinity, '3', null, undefined, 2 ** 53]) assert.ok(!s.is(bad), String(bad));
    assert.ok(!integer(0).is(2 ** 53), 'unsafe integers are not ids');
  });

  it('text: a string within its lengths, without the forbidden substring', () => {
    const s = text({ maxLength: 3, minLength: 1, without: '\0' });
    for (const ok of ['a', 'abc']) assert.ok(s.is(ok), ok);
    for (const bad of ['', 'abcd', 'a\0', 3, null, ['a']]) assert.ok(!s.is(bad), JSON.stringify(bad));
  });

  it('objects: exactly the required keys, optional ones when valid, nothing inherited or extra', () => {
    const s = object({ a: integer(0) }, { b: text({ maxLength: 2 }) });
    for (const ok of [{ a: 1 }, { a: 1, b: 'xy' }, { a: 1, b: undefined }, Object.assign(Object.create(null) as object, { a: 1 })]) assert.ok(s.is(ok), JSON.stringify(ok));
    const inherited = Object.create({ a: 1 }) as object;
    for (const bad of [{}, { b: 'x' }, { a: 1, b: 'xyz' }, { a: 1, c: 1 }, { a: -1 }, [1], inherited, new Map([['a', 1]]), null, 'a'])
      assert.ok(!s.is(bad), String(JSON.stringify(bad)));
    // JSON.parse makes `__proto__` an own key: an extra key like any other.
    assert.ok(!s.is(JSON.parse('{"a": 1, "__proto__": {"b": "x"}}')));
  });

  it('gives the TypeScript type of what it checks', () => {
    const s = object({ a: integer(0) }, { b: text({ maxLength: 2 }) });
    const value: unknown = { a: 1 };
    if (s.is(value)) {
      const a: number = value.a;
      const b: string | undefined = value.b;
      assert.equal(a + (b ?? '').length, 1);
    }
    // The location the page sends back is the type the details carry: one description for both.
    const location: SourceLocation = { file: 'a.py', line: 1 };
    const sameType: Infer<typeof OpenSourceCommand.params> = location;
    assert.ok(OpenSourceCommand.params.is(sameType));
  });
});
