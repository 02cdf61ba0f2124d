// Export (a run, everything) as OTLP/JSON lines and import of OTLP/JSON files, with a cancellable progress
// notification. The work itself is in extension/src/storage (plain Node, unit-tested).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Span } from '../../core/model/span';
import type { IngestOrigin } from '../../core/store/ingestOrigin';
import type { TraceStore } from '../../core/store/traceStore';
import { formatCount } from '../../core/views/format';
import { OtlpFileError, readOtlpJsonFile } from '../../storage/otlpJsonFileReader';
import { type ExportResult, allRunsOldestFirst, exportSpans, spansOfRun } from '../../storage/spanExporter';
import { Commands } from '../ids';
import type { JournalService } from './journalService';

export interface ImportSummary {
  readonly file: string;
  readonly spans: number;
  readonly accepted: number;
  readonly cancelled: boolean;
  /** Why the file was rejected (names the line), when it was. */
  readonly error?: string;
}

const FILTERS = { 'OTLP/JSON lines': ['jsonl', 'json', 'ndjson'], 'All files': ['*'] };

/** Writes span groups (one per run) to `uri` as OTLP/JSON lines under a cancellable progress notification. */
export async function exportToFile(uri: vscode.Uri, groups: readonly (readonly Span[])[], what: string): Promise<ExportResult> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `msgtrace: exporting ${what}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      return exportSpans(uri.fsPath, groups, {
        isCancelled: () => token.isCancellationRequested,
        onProgress: (done, total) => {
          const pct = total ? (100 * done) / total : 100;
          progress.report({ increment: pct - reported, message: `${formatCount(done)} of ${formatCount(total)} spans` });
          reported = pct;
        },
      });
    },
  );
  if (!result.cancelled) {
    void vscode.window.showInformationMessage(`msgtrace: exported ${formatCount(result.spans)} spans to ${vscode.workspace.asRelativePath(uri)}.`);
  }
  return result;
}

export function registerStorageCommands(store: TraceStore, journal: JournalService, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const exportAll = async (target?: vscode.Uri): Promise<vscode.Uri | undefined> => {
    const runs = allRunsOldestFirst(store);
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('msgtrace: there are no spans to export.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `msgtrace-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.otlp.jsonl`;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({ title: 'Export all spans as OTLP/JSON lines', defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: FILTERS }));
    if (!uri) return undefined;
    try {
      const result = await exportToFile(uri, runs.map(r => spansOfRun(store, r)), `${formatCount(runs.length)} runs`);
      return result.cancelled ? undefined : uri;
    } catch (err) {
      void vscode.window.showErrorMessage(`msgtrace: could not export to ${uri.fsPath}: ${(err as Error).message}`);
      return undefined;
    }
  };

  const importFile = async (target?: vscode.Uri | vscode.Uri[]): Promise<ImportSummary[]> => {
    const uris =
      (target ? (Array.isArray(target) ? target : [target]) : undefined) ??
      (await vscode.window.showOpenDialog({ title: 'Import OTLP/JSON traces', canSelectMany: true, filters: FILTERS, openLabel: 'Import' }));
    const summaries: ImportSummary[] = [];
    for (const uri of uris ?? []) {
      summaries.push(await importOne(uri));
    }
    return summaries;
  };

  const importOne = (uri: vscode.Uri): Thenable<ImportSummary> =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `msgtrace: importing ${path.basename(uri.fsPath)}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        try {
          const read = await readOtlpJsonFile(uri.fsPath, {
            isCancelled: () => token.isCancellationRequested,
            onProgress: (bytes, total) => {
              // Reading is most of the work; ingesting is the last tenth.
              const pct = total ? (90 * bytes) / total : 0;
              if (pct > reported) progress.report({ increment: pct - reported, message: `${formatCount(Math.round(bytes / 1024))} KiB read` });
              reported = Math.max(reported, pct);
            },
          });
          if (read.cancelled) return { file: uri.fsPath, spans: 0, accepted: 0, cancelled: true };
          progress.report({ increment: 90 - reported, message: `adding ${formatCount(read.spans)} spans` });
          const origin: IngestOrigin = { transport: 'file', path: uri.fsPath };
          let accepted = 0;
          let sliceStart = performance.now();
          for (const batch of read.batches) {
            accepted += store.ingest(batch, origin).accepted;
            journal.append(batch.spans, origin);
            if (performance.now() - sliceStart >= 8) {
              await new Promise<void>(resolve => setImmediate(resolve));
              sliceStart = performance.now();
            }
          }
          const extra = [
            read.spans > accepted ? `${formatCount(read.spans - accepted)} already shown` : '',
            read.rejectedSpans ? `${formatCount(read.rejectedSpans)} rejected (invalid ids)` : '',
            read.skippedLines ? `${formatCount(read.skippedLines)} lines of logs/metrics skipped` : '',
          ].filter(Boolean);
          const message = `imported ${formatCount(accepted)} spans from ${path.basename(uri.fsPath)}${extra.length ? ` (${extra.join(', ')})` : ''}`;
          log.info(message);
          void vscode.window.showInformationMessage(`msgtrace: ${message}.`);
          return { file: uri.fsPath, spans: read.spans, accepted, cancelled: false };
        } catch (err) {
          const message = err instanceof OtlpFileError ? err.message : `${path.basename(uri.fsPath)}: ${(err as Error).message}`;
          log.warn(`import rejected: ${message}`);
          void vscode.window.showErrorMessage(`msgtrace: could not import ${message}`);
          return { file: uri.fsPath, spans: 0, accepted: 0, cancelled: false, error: message };
        }
      },
    );

  return [vscode.commands.registerCommand(Commands.exportAll, exportAll), vscode.commands.registerCommand(Commands.importFile, importFile)];
}
