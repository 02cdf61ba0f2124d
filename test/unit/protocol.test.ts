import * as assert from 'node:assert/strict';
import { DidChangeStateNotification, ReadyCommand } from '../../extension/src/protocol/timelineProtocol';

describe('webview protocol', () => {
  it('creates messages that its own guard accepts', () => {
    const message = DidChangeStateNotification.create({ title: 't', message: 'm' });
    assert.deepEqual(message, { method: 'state/didChange', params: { title: 't', message: 'm' } });
    assert.ok(DidChangeStateNotification.is(message));
    assert.ok(!ReadyCommand.is(message));
  });

  it('rejects what is not a message at all (postMessage data is untrusted)', () => {
    for (const junk of [null, undefined, 42, 'webview/ready', [], {}, { method: 42 }, { method: 'webview/ready ' }]) {
      assert.ok(!ReadyCommand.is(junk), JSON.stringify(junk));
    }
    assert.ok(ReadyCommand.is({ method: 'webview/ready', params: {} }));
  });
});
