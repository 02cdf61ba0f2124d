// One journal record on disk (docs/store.md, "Journal"):
//   magic "MTJ1" | u32le meta length | u32le payload length | meta (UTF-8 JSON) | payload
// The payload is an ExportTraceServiceRequest, protobuf or OTLP/JSON as `meta.e` says. A record cut short by a
// crash mid-write (a torn tail) is recognised by its lengths running past the end of the segment.
import type { IngestOrigin, IngestTransport } from '../core/store/ingestOrigin';

export const RECORD_MAGIC = 0x314a544d; // "MTJ1" read as u32le
export const HEADER_BYTES = 12;

export type PayloadEncoding = 'protobuf' | 'json';

/** What the journal keeps of where a batch came from: enough to replay it into the same run. */
export interface RecordMeta {
  /** Wall-clock time it was journaled (ms). */
  readonly t: number;
  /** The transport it arrived by. */
  readonly tr: IngestTransport;
  readonly e: PayloadEncoding;
  /** Debug session id, when the batch had one. */
  readonly s?: string;
  /** Request path or imported file, for display. */
  readonly p?: string;
}

export function metaOf(origin: IngestOrigin, encoding: PayloadEncoding, now: number): RecordMeta {
  const m: { t: number; tr: IngestTransport; e: PayloadEncoding; s?: string; p?: string } = { t: now, tr: origin.transport, e: encoding };
  if (origin.debugSessionId) m.s = origin.debugSessionId;
  if (origin.path) m.p = origin.path;
  return m;
}

/** Header and meta of a record; the payload is written after it as its own buffer (no copy). */
export function encodeRecordHead(meta: RecordMeta, payloadLength: number): Buffer {
  const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
  const head = Buffer.allocUnsafe(HEADER_BYTES + metaBytes.length);
  head.writeUInt32LE(RECORD_MAGIC, 0);
  head.writeUInt32LE(metaBytes.length, 4);
  head.writeUInt32LE(payloadLength, 8);
  metaBytes.copy(head, HEADER_BYTES);
  return head;
}

export type ParsedRecord =
  | { readonly kind: 'record'; readonly meta: RecordMeta; readonly payloadStart: number; readonly end: number }
  /** The segment ends inside this record: a crash mid-write. Everything from `at` on is unusable. */
  | { readonly kind: 'torn'; readonly at: number }
  /** Not a record header (or unreadable meta): the rest of the segment cannot be trusted. */
  | { readonly kind: 'corrupt'; readonly at: number; readonly reason: string };

/** Reads the record starting at `at` in a segment's bytes. */
export function parseRecord(buf: Uint8Array, at: number): ParsedRecord {
  if (buf.length - at < HEADER_BYTES) return { kind: 'torn', at };
  const view = new DataView(buf.buffer, buf.byteOffset + at, HEADER_BYTES);
  if (view.getUint32(0, true) !== RECORD_MAGIC) return { kind: 'corrupt', at, reason: 'no record header' };
  const metaLength = view.getUint32(4, true);
  const payloadLength = view.getUint32(8, true);
  const payloadStart = at + HEADER_BYTES + metaLength;
  const end = payloadStart + payloadLength;
  if (end > buf.length) return { kind: 'torn', at };
  let meta: RecordMeta;
  try {
    meta = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + at + HEADER_BYTES, metaLength).toString('utf8')) as RecordMeta;
  } catch {
    return { kind: 'corrupt', at, reason: 'unreadable record header' };
  }
  if (typeof meta !== 'object' || meta === null || (meta.e !== 'protobuf' && meta.e !== 'json')) {
    return { kind: 'corrupt', at, reason: 'unknown record encoding' };
  }
  return { kind: 'record', meta, payloadStart, end };
}
