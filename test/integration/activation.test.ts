import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MsgtraceApi } from '../../extension/src/extension';
import { Commands, ExtensionId, Views } from '../../extension/src/host/ids';

describe('activation', () => {
  const extension = () => {
    const ext = vscode.extensions.getExtension<MsgtraceApi>(ExtensionId);
    assert.ok(ext, `extension ${ExtensionId} is installed`);
    return ext;
  };

  it('is not active before the user needs it (no "*" or startup activation)', () => {
    const manifest = extension().packageJSON as { activationEvents?: string[] };
    assert.ok(!manifest.activationEvents?.some(e => e === '*' || e === 'onStartupFinished'));
    assert.equal(extension().isActive, false, 'activated although nothing asked for it');
  });

  it('activates on its command, and reports how long that took', async () => {
    // A command that does almost nothing, so the time is the activation's: loading the bundle and activate().
    const t0 = performance.now();
    await vscode.commands.executeCommand(Commands.clearFilter);
    const commandMs = performance.now() - t0;
    assert.equal(extension().isActive, true);
    const api = extension().exports;
    assert.ok(api.activationMs > 0 && api.activationMs < 5_000, `activationMs=${api.activationMs}`);
    console.log(`    activation: activate() took ${api.activationMs.toFixed(1)} ms; first command incl. loading the bundle: ${commandMs.toFixed(0)} ms`);
  });

  it('registers every contributed command', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const contributed = (extension().packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands;
    for (const { command } of contributed) assert.ok(all.has(command), `${command} is contributed but not registered`);
  });

  it('shows the span explorer in its own activity bar container', async () => {
    await vscode.commands.executeCommand(`${Views.spans}.focus`);
    // The view resolves only once its tree provider is registered; a second focus proves it is there.
    await vscode.commands.executeCommand('workbench.view.extension.msgtrace');
  });
});
