// Commands around the receiver: start, stop, restart, copy its endpoint, copy the tracing environment.
import * as vscode from 'vscode';
import { formatEnvironment, traceEnvironment } from '../../core/env/traceEnvironment';
import { Commands } from '../ids';
import { traceSettings } from '../settings';
import type { ReceiverService } from './receiverService';

export function registerReceiverCommands(service: ReceiverService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.startReceiver, () => service.start()),
    vscode.commands.registerCommand(Commands.stopReceiver, () => service.stop()),
    vscode.commands.registerCommand(Commands.restartReceiver, () => service.restart()),
    vscode.commands.registerCommand(Commands.copyEndpoint, async () => {
      await service.ensureRunning();
      const url = service.tracesUrl();
      if (!url) return;
      await vscode.env.clipboard.writeText(url);
      void vscode.window.showInformationMessage(`Copied ${url} (OTLP/HTTP traces endpoint).`);
      return url;
    }),
    vscode.commands.registerCommand(Commands.copyEnvironment, async () => {
      await service.ensureRunning();
      const url = service.tracesUrl();
      if (!url) return;
      const block = formatEnvironment(traceEnvironment(traceSettings(), url, 'msgflux'));
      await vscode.env.clipboard.writeText(block);
      void vscode.window.showInformationMessage('Copied the tracing environment: paste it into a shell before starting your program.');
      return block;
    }),
  ];
}
