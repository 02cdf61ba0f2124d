// What the integration suites share: the running extension's API and waiting for something to become true.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MsgtraceApi } from '../../extension/src/extension';
import { ExtensionId } from '../../extension/src/host/ids';

/** The repository's test fixtures (recorded requests). */
export const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

/** Activates the extension and waits until its receiver listens and the journal has replayed. */
export async function api(): Promise<MsgtraceApi> {
  const a = await vscode.extensions.getExtension<MsgtraceApi>(ExtensionId)!.activate();
  await until('the receiver to start', () => a.receiver.running);
  await a.journal.replayed;
  return a;
}

/** Polls `get` until it returns something truthy, and returns that; fails after `ms`. */
export async function until<T>(what: string, get: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}
