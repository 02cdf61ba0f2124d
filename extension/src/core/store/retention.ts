// Retention limits and the per-span memory estimate they are checked against.
import type { Span } from '../model/span';

export interface RetentionLimits {
  /** Stored spans (placeholders not counted). */
  readonly maxSpans: number;
  /** Estimated bytes (estimateSpanBytes). */
  readonly maxBytes: number;
}

/** Fits a laptop: at most about 0.5 GB of extension-host heap (docs/store.md). */
export const DEFAULT_RETENTION: RetentionLimits = { maxSpans: 500_000, maxBytes: 512 * 1024 * 1024 };

/** Once over a limit, evict down to this fraction of it, so eviction runs once per many batches, not on each. */
export const EVICT_TO_FRACTION = 0.9;

// Calibrated with bench/suites/store.ts ("heap per stored flat span"): the Span object, its id strings, the
// request bytes it keeps, and the store's node and index entries, for a span with few attributes.
const FIXED_BYTES = 1000;
const PER_INDEXED_ATTRIBUTE = 64;
const PER_DECODED_ATTRIBUTE = 96;
const PER_EVENT_OR_LINK = 120;

/**
 * Estimated bytes a stored span holds: fixed object costs, its strings, its indexed attributes, and its
 * details (the encoded bytes it keeps from the request, or an estimate for decoded JSON spans). Cheap and
 * deterministic, so eviction can subtract exactly what ingest added.
 */
export function estimateSpanBytes(span: Span): number {
  let bytes = FIXED_BYTES + 2 * (span.name.length + span.statusMessage.length + span.traceState.length);
  for (const kv of span.indexed) {
    bytes += PER_INDEXED_ATTRIBUTE + 2 * kv.key.length;
    if (typeof kv.value === 'string') bytes += 2 * kv.value.length;
  }
  const encoded = span.protobufBytes();
  if (encoded) bytes += encoded.byteLength;
  else {
    const d = span.details();
    bytes += d.attributes.length * PER_DECODED_ATTRIBUTE + (d.events.length + d.links.length) * PER_EVENT_OR_LINK;
    for (const kv of d.attributes) if (typeof kv.value === 'string') bytes += 2 * kv.value.length;
  }
  return bytes;
}
