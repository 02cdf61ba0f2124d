// How a receiver is teed into a Forwarder, the same in the extension and in `msgtrace record` / `serve`. Typed by
// shape: forward/ may not import receiver/, and needs only the request's bytes and its span count.
import type { Disposable, Event } from '../core/common/event';
import type { Forwarder } from './forwarder';

/** What OtlpReceiver.onDidReceive carries, as far as forwarding reads it. */
export interface AcknowledgedRequest {
  readonly batch: {
    /** `columns.body`: the request as protobuf (as received, or the protobuf a JSON request was checked into). */
    readonly columns: { readonly body: Uint8Array; readonly count: number };
    readonly rejectedSpans: number;
  };
}

export interface AcknowledgedRequests {
  readonly onDidReceive: Event<AcknowledgedRequest>;
}

/** The spans a request holds, accepted or not: the upstream gets the whole request. */
export function spansOf(received: AcknowledgedRequest): number {
  return received.batch.columns.count + received.batch.rejectedSpans;
}

/** Every request `source` acknowledges goes to `forwarder` (enqueue only: never slows the receiver). */
export function connectForward(source: AcknowledgedRequests, forwarder: () => Forwarder | undefined): Disposable {
  return source.onDidReceive(received => forwarder()?.enqueue(received.batch.columns.body, spansOf(received)));
}
