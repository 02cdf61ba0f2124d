import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MsgtraceApi } from '../../extension/src/extension';
import { Commands, ExtensionId } from '../../extension/src/host/ids';

describe('timeline webview', () => {
  it('opens from its command and completes the ready handshake', async () => {
    const ext = vscode.extensions.getExtension<MsgtraceApi>(ExtensionId)!;
    const api = await ext.activate();
    const ready = new Promise<void>(resolve => {
      const sub = api.timeline.onDidReceiveReady(() => {
        sub.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand(Commands.openTimeline);
    assert.equal(api.timeline.isOpen, true);
    await ready;
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.equal(tab?.label, 'msgtrace Timeline');
  });

  it('reveals the same panel instead of opening a second one', async () => {
    await vscode.commands.executeCommand(Commands.openTimeline);
    const tabs = vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.label === 'msgtrace Timeline');
    assert.equal(tabs.length, 1);
  });
});
