// The requests waiting to be forwarded, first in first out, with their bytes and spans summed. A plain array
// with a moving head: push and shift are O(1) (Array.prototype.shift moves every element), and the array is
// compacted once the consumed part is half of it, so memory follows what waits.

export interface QueuedRequest {
  /** The request as protobuf, as it was acknowledged. */
  readonly body: Uint8Array;
  /** Its spans, for the counters. */
  readonly spans: number;
  /** The pooled buffer `body` lies in (bufferPool.ts), given back when the request leaves the forwarder. */
  readonly backing?: Buffer;
}

export class RequestQueue {
  private items: (QueuedRequest | undefined)[] = [];
  private head = 0;
  /** Sum of the waiting bodies' sizes. */
  bytes = 0;
  /** Sum of the waiting requests' spans. */
  spans = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(request: QueuedRequest): void {
    this.items.push(request);
    this.bytes += request.body.byteLength;
    this.spans += request.spans;
  }

  /** The oldest request, removed; undefined when empty. */
  shift(): QueuedRequest | undefined {
    if (this.head >= this.items.length) return undefined;
    const request = this.items[this.head]!;
    this.items[this.head++] = undefined;
    this.bytes -= request.body.byteLength;
    this.spans -= request.spans;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return request;
  }

  /** Empties the queue; returns what it held. */
  clear(): { requests: number; spans: number; bytes: number } {
    const held = { requests: this.length, spans: this.spans, bytes: this.bytes };
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    this.spans = 0;
    return held;
  }
}
