import * as assert from 'node:assert/strict';
import { command, notification } from '../../extension/src/protocol/ipc';
import { ReadyCommand } from '../../extension/src/protocol/timelineProtocol';

describe('webview protocol', () => {
  const DidPing = notification<{ n: number }>()('ping/didHappen');
  const Pong = command<{ n: number }>()('pong/send');

  it('creates messages that its own guard accepts, and no other', () => {
    const message = DidPing.create({ n: 1 });
    assert.deepEqual(message, { method: 'ping/didHappen', params: { n: 1 } });
    assert.ok(DidPing.is(message));
    assert.ok(!Pong.is(message));
    assert.ok(!ReadyCommand.is(message));
  });

  it('rejects what is not a message at all (postMessage data is untrusted)', () => {
    for (const junk of [null, undefined, 42, 'webview/ready', [], {}, { method: 42 }, { method: 'webview/ready ' }]) {
      assert.ok(!ReadyCommand.is(junk), JSON.stringify(junk));
    }
    assert.ok(ReadyCommand.is({ method: 'webview/ready', params: {} }));
  });
});
