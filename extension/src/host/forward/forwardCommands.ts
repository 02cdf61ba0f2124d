// "msgtrace: Set Forward Header…": a header name and its value, the value kept in VS Code's SecretStorage and
// the header marked "${secret}" in msgtrace.forward.headers. Arguments (name, value) skip the input boxes.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { ForwardService } from './forwardService';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function registerForwardCommands(service: ForwardService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.setForwardHeader, async (givenName?: unknown, givenValue?: unknown) => {
      const name =
        typeof givenName === 'string'
          ? givenName
          : await vscode.window.showInputBox({
              title: 'msgtrace: Set Forward Header (1/2)',
              prompt: 'Name of a header sent with every forwarded request (gRPC: metadata key)',
              placeHolder: 'Authorization',
              ignoreFocusOut: true,
              validateInput: v => (HEADER_NAME.test(v.trim()) ? undefined : 'A header name: letters, digits and - _ . ! # $ % & \' * + ^ ` | ~'),
            });
      if (!name?.trim()) return;
      if (!HEADER_NAME.test(name.trim())) throw new Error(`"${name}" is not a header name`);
      const value =
        typeof givenValue === 'string'
          ? givenValue
          : await vscode.window.showInputBox({
              title: `msgtrace: Set Forward Header (2/2): ${name.trim()}`,
              prompt: 'Its value, kept in VS Code\'s secret storage (settings.json only says "${secret}"). Empty removes the header.',
              password: true,
              ignoreFocusOut: true,
            });
      if (value === undefined) return;
      await service.setHeader(name.trim(), value);
      if (typeof givenValue !== 'string') {
        void vscode.window.showInformationMessage(
          value === '' ? `msgtrace no longer sends ${name.trim()} upstream.` : `msgtrace sends ${name.trim()} upstream from the secret storage; msgtrace.forward.headers says "\${secret}".`,
        );
      }
    }),
  ];
}
