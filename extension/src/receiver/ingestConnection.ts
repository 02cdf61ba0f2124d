// The receiver feeding a trace store, wired the same way wherever a receiver runs (the extension host and
// `msgtrace serve`): every batch in arrival order, large ones in slices, each tagged with its debug session.
import type { Disposable, Event } from '../core/common/event';
import { sessionIdFromPath } from '../core/env/sessionEndpoint';
import type { IngestOrigin } from '../core/store/ingestOrigin';
import { SlicedIngest } from '../core/store/slicedIngest';
import type { TraceStore } from '../core/store/traceStore';
import type { ReceiverLogger } from './receiverOptions';
import type { ReceivedBatch } from './traceIngest';

/** Where the batches come from: an OtlpReceiver, or anything that forwards its event. */
export interface BatchSource {
  readonly onDidReceive: Event<ReceivedBatch>;
}

export interface IngestConnection extends Disposable {
  /** Resolves when every batch received so far is in the store (tests, benchmarks, an orderly exit). */
  idle(): Promise<void>;
}

/**
 * The origin the store files a received batch under. The debug session comes from the request path: each F5
 * session posts to its own `/session/<id>/…` URL (docs/msgflux-wire.md#endpoint), which keeps the runs of
 * concurrent sessions apart.
 */
export function ingestOrigin(received: ReceivedBatch): IngestOrigin {
  const { transport, path } = received;
  return { transport, path, debugSessionId: sessionIdFromPath(path) };
}

/** Ingests every batch `receiver` delivers into `store` until disposed; a batch the store refuses is logged. */
export function connectIngest(receiver: BatchSource, store: TraceStore, logger: ReceiverLogger): IngestConnection {
  // Large requests go into the store in slices, so the event loop (the extension host's) stays responsive.
  const ingest = new SlicedIngest(store);
  let last: Promise<void> = Promise.resolve();
  const failed = (received: ReceivedBatch) => (err: unknown) =>
    logger.error(`could not store ${received.batch.columns.count} spans sent to ${received.path}: ${err instanceof Error ? err.message : String(err)}`);
  const subscription = receiver.onDidReceive(received => {
    try {
      // SlicedIngest keeps arrival order, so the last batch's promise settles after all the earlier ones.
      last = ingest.ingest(received.batch, ingestOrigin(received)).catch(failed(received));
    } catch (err) {
      failed(received)(err);
    }
  });
  return {
    idle: () => last,
    dispose: () => subscription.dispose(),
  };
}
