// What the integration suites share: the running extension's API and waiting for something to become true.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Run } from '../../extension/src/core/store/run';
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

/** Starts the example agent (examples/agent.mjs) under the debugger, with extra environment, and resolves when the session has ended. */
export async function runAgent(name: string, env?: Record<string, string>): Promise<vscode.DebugSession> {
  const folder = vscode.workspace.workspaceFolders![0]!;
  let session: vscode.DebugSession | undefined;
  const ended = new Promise<void>(resolve => {
    const sub = vscode.debug.onDidTerminateDebugSession(s => {
      if (s.name === name) {
        sub.dispose();
        resolve();
      }
    });
  });
  const started = new Promise<void>(resolve => {
    const sub = vscode.debug.onDidStartDebugSession(s => {
      if (s.name === name) {
        session = s;
        sub.dispose();
        resolve();
      }
    });
  });
  const ok = await vscode.debug.startDebugging(folder, {
    type: 'node',
    request: 'launch',
    name,
    program: '${workspaceFolder}/agent.mjs',
    cwd: '${workspaceFolder}',
    console: 'internalConsole',
    skipFiles: ['<node_internals>/**'],
    ...(env ? { env } : {}),
  });
  assert.ok(ok, `startDebugging(${name}) failed`);
  await started;
  await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error(`${name} did not end within 60 s`)), 60_000))]);
  return session!;
}

/** The newest run of the debug session with that name. */
export function runOfSession(a: MsgtraceApi, sessionName: string): Run | undefined {
  return a.store.runs().find(r => r.debugSessionId && a.debug.session(r.debugSessionId)?.name === sessionName);
}
