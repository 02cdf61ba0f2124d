// Opening a trace of a team backend: fetched (cancellable, with progress), stored as a run of its own marked with
// its source, revealed in the span explorer and shown in the timeline. A trace already stored (opened before, or
// received locally too) is not fetched again: its run gets the focus.
import * as vscode from 'vscode';
import type { BackendConfig } from '../../backends/backendConfig';
import { BackendError } from '../../backends/backendError';
import { firstIds, ingestRemoteTrace } from '../../backends/remoteRun';
import type { Run } from '../../core/store/run';
import type { TraceStore } from '../../core/store/traceStore';
import { formatCount } from '../../core/views/format';
import type { TimelinePanel } from '../timeline/timelinePanel';
import type { SpanExplorer } from '../tree/spanExplorer';
import type { BackendConnections } from './backendConnections';

export class RemoteTraceOpener {
  /** Per `backend/trace id`: a span of the trace as stored, to find its run again without fetching. */
  private readonly opened = new Map<string, { traceId: string; spanId: string }>();

  constructor(
    private readonly store: TraceStore,
    private readonly connections: BackendConnections,
    private readonly explorer: SpanExplorer,
    private readonly timeline: TimelinePanel,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens the trace; resolves to its run, or undefined when it failed (the user was told) or was cancelled. */
  async open(config: BackendConfig, traceId: string): Promise<Run | undefined> {
    const key = `${config.name}/${traceId}`;
    const known = this.storedRun(key);
    if (known) {
      this.show(known);
      return known;
    }
    const run = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `msgtrace: opening trace ${traceId} from ${config.name}`, cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          const client = await this.connections.client(config);
          const trace = await client.trace(traceId, controller.signal);
          const result = await ingestRemoteTrace(this.store, config, trace);
          const ids = trace.batches.map(firstIds).find(x => x !== undefined);
          if (ids) this.opened.set(key, ids);
          const extra = [
            result.duplicates ? `${formatCount(result.duplicates)} already shown` : '',
            trace.rejectedSpans ? `${formatCount(trace.rejectedSpans)} rejected (invalid ids)` : '',
          ].filter(Boolean);
          this.log.info(`backends: opened trace ${traceId} from ${client.label} (${trace.api}): ${formatCount(trace.spanCount)} spans${extra.length ? ` (${extra.join(', ')})` : ''}`);
          for (const w of trace.warnings) {
            this.log.warn(`backends: ${w}`);
            void vscode.window.showWarningMessage(`msgtrace: ${w}`);
          }
          return result.run;
        } catch (err) {
          if (err instanceof BackendError && err.kind === 'cancelled') return undefined;
          const message = err instanceof BackendError ? err.message : `opening trace ${traceId} from ${config.name} failed: ${(err as Error).message ?? String(err)}`;
          this.log.warn(`backends: ${message}`);
          void vscode.window.showErrorMessage(`msgtrace: ${message}`);
          return undefined;
        } finally {
          cancel.dispose();
        }
      },
    );
    if (run) this.show(run);
    return run;
  }

  private storedRun(key: string): Run | undefined {
    const ids = this.opened.get(key);
    if (!ids) return undefined;
    const row = this.store.findRow(ids.traceId, ids.spanId);
    if (row < 0) {
      // Deleted or evicted since: fetch it again.
      this.opened.delete(key);
      return undefined;
    }
    return this.store.runOf(row);
  }

  private show(run: Run): void {
    void this.explorer.view.reveal(run, { select: true, focus: false, expand: true }).then(undefined, () => undefined);
    this.timeline.show(run.id);
  }
}
