// The span journal as the extension runs it: in the workspace's storage folder (the global one without a
// workspace), fed by the receiver, told about clears by the store, replayed in the background at activation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import type { Span } from '../../core/model/span';
import type { IngestOrigin } from '../../core/store/ingestOrigin';
import type { TraceStore } from '../../core/store/traceStore';
import { type BatchSource, ingestOrigin } from '../../receiver/ingestConnection';
import { type ReplayResult, SpanJournal } from '../../storage/spanJournal';
import { Settings, SettingsSection } from '../ids';

const MiB = 1024 * 1024;

/** msgtrace.retention.journalMiB in bytes; 0 turns the journal off. */
function journalMaxBytes(): number {
  const mib = vscode.workspace.getConfiguration(SettingsSection).get<number>(Settings.retentionJournalMiB, 256);
  return Number.isFinite(mib) && mib > 0 ? Math.max(1, mib) * MiB : 0;
}

export class JournalService implements vscode.Disposable {
  private journal: SpanJournal | undefined;
  private readonly disposables = new DisposableStore();
  /** Set while reload() clears the store, so that clear does not reach the journal. */
  private reloading = false;
  /** The replay started at activation (or by the last reload); undefined when the journal is off. */
  replayed: Promise<ReplayResult | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly dir: string,
    private readonly store: TraceStore,
    receiver: BatchSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.add(
      // The request as protobuf (as received, or transcoded from JSON): nothing to encode on the ingest path.
      // The answer waits until the journal wrote it, so a killed extension host loses only requests that were
      // never acknowledged (SpanJournal.written; test/unit/storage/journalCrash.test.ts kills a process mid-ingest).
      receiver.onDidReceive(received => {
        const journal = this.journal;
        if (!journal) return;
        journal.appendBody(received.batch.columns.body, 'protobuf', ingestOrigin(received));
        received.waitUntil(journal.written());
      }),
    );
    this.disposables.add(
      store.onDidClear(e => {
        if (this.reloading) return;
        if (e.all) this.journal?.clear();
        else this.journal?.forget(e.traceIds);
      }),
    );
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(`${SettingsSection}.${Settings.retentionJournalMiB}`)) void this.applySetting();
      }),
    );
    this.start();
  }

  /** Where the journal lives for this window. */
  static folderOf(context: vscode.ExtensionContext): string {
    return path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'journal');
  }

  /** Journals spans that did not come through the receiver (imports), so they survive a reload too. */
  append(spans: readonly Span[], origin: IngestOrigin): void {
    this.journal?.append(spans, origin);
  }

  private start(): void {
    const maxBytes = journalMaxBytes();
    if (maxBytes === 0) return;
    const journal = new SpanJournal({ dir: this.dir, maxBytes, log: this.log });
    this.journal = journal;
    const t0 = performance.now();
    this.replayed = journal
      .replay((batch, origin) => this.store.ingest(batch, origin))
      .then(r => {
        const damaged = r.skippedRecords + r.damagedSegments ? ` (${r.skippedRecords} unreadable records, ${r.damagedSegments} damaged segments)` : '';
        this.log.info(`replayed ${r.spans} spans from the journal in ${Math.round(performance.now() - t0)} ms${damaged}${r.stopped ? ', stopped by a clear' : ''}`);
        return r;
      })
      .catch((err: unknown) => {
        this.log.warn(`could not replay the span journal: ${(err as Error).message}`);
        return undefined;
      });
  }

  private async applySetting(): Promise<void> {
    const maxBytes = journalMaxBytes();
    if (maxBytes === 0) {
      await this.journal?.close();
      this.journal = undefined;
      this.log.info('span journal off (msgtrace.retention.journalMiB is 0)');
    } else if (this.journal) {
      this.journal.setMaxBytes(maxBytes);
    } else {
      this.start();
    }
  }

  /**
   * What a window reload does, without reloading: closes the journal, empties the store (not journaled) and
   * opens and replays the journal again. For tests and "did it survive?" checks.
   */
  async reload(): Promise<ReplayResult | undefined> {
    await this.journal?.close();
    this.journal = undefined;
    this.reloading = true;
    try {
      this.store.clear();
    } finally {
      this.reloading = false;
    }
    this.start();
    return this.replayed;
  }

  /** Writes what is queued and closes the file (deactivate waits for it). */
  async close(): Promise<void> {
    const journal = this.journal;
    this.journal = undefined;
    await journal?.close();
  }

  dispose(): void {
    this.disposables.dispose();
    // Queued spans still reach the disk: the write chain finishes after dispose returns.
    void this.close();
  }
}
