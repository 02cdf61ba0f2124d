// What is known about a span without decoding it, in one vocabulary from socket to pixel: the decoder writes
// these bits (SpanColumns.info), the store keeps them in its row's flags word (core/store/spanTable.ts), its
// row reader (store.rows.facts) hands them to views, the timeline packs them into TimelineRows.flags as they
// are, and the page reads them. No hop converts one set of bits into another. It lives in protocol/ because the
// page may import nothing else, and it imports nothing, so core may depend on it (docs/ARCHITECTURE.md).
export const SpanFacts = {
  /** Status code ERROR (the timeline also sets it on a row whose span has an exception event). */
  error: 1 << 0,
  /** The edge to the parent was inferred from time containment, not sent as parentSpanId. */
  inferredEdge: 1 << 1,
  /** A parent that has not arrived: the row has no times and no attributes of its own. */
  placeholder: 1 << 2,
  hasChildren: 1 << 3,
  hasEvents: 1 << 4,
  /** It names a source location (code.file.path, or the older code.filepath). */
  hasSource: 1 << 5,
  /** It reports token usage or cost (core/semantics/usage.ts keys). */
  hasUsage: 1 << 6,
  /** It has a string `span.type` attribute (msgflux), and whether that is `flow`: the nesting rules read these. */
  spanType: 1 << 7,
  spanTypeFlow: 1 << 8,
} as const;

/** The facts a decoder learns from one span's own bytes. */
export const DECODED_FACTS =
  SpanFacts.error | SpanFacts.hasEvents | SpanFacts.hasSource | SpanFacts.hasUsage | SpanFacts.spanType | SpanFacts.spanTypeFlow;

/** The facts a timeline row carries to the page: one byte (TimelineRows.flags). */
export const ROW_FACTS = 0xff & ~(SpanFacts.spanType | SpanFacts.spanTypeFlow);

/** Bits of all facts (the low 9 bits of every word that holds them). */
export const ALL_FACTS = 0x1ff;
