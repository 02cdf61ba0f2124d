// What the store keeps about every span at ingest, so views that go over many spans (the timeline, filters,
// subtree sums) read row bits instead of decoding each span: its class on its own, and whether it has usage,
// a source file, events or a `span.type`. Computed from the indexed attributes only; the decoder runs it on
// the fields it has just read, the store on Span objects that come decoded.
import { COL_EVENTS, COL_SOURCE, COL_SPAN_TYPE, COL_SPAN_TYPE_FLOW, COL_USAGE } from '../model/spanColumns';
import type { Span } from '../model/span';
import { classifySpan } from './classification';
import { SPAN_CLASSES } from './spanClass';
import { stringAttr } from './spanFacts';

const USAGE_PREFIXES = ['gen_ai.usage.', 'llm.token_count.', 'llm.usage.', 'llm.cost.'];

/** COL_USAGE, COL_SOURCE, COL_EVENTS, COL_SPAN_TYPE and COL_SPAN_TYPE_FLOW as the span has them. */
export function ingestFactBits(span: Span): number {
  let bits = 0;
  for (const kv of span.indexed) {
    const k = kv.key;
    if (k === 'code.file.path' || k === 'code.filepath') bits |= COL_SOURCE;
    else if (kv.value !== null) for (const p of USAGE_PREFIXES) if (k.startsWith(p)) bits |= COL_USAGE;
  }
  if (span.eventCount > 0) bits |= COL_EVENTS;
  const type = stringAttr(span, 'span.type');
  if (type !== undefined) bits |= type === 'flow' ? COL_SPAN_TYPE | COL_SPAN_TYPE_FLOW : COL_SPAN_TYPE;
  return bits;
}

/** The span's intrinsic class as its SPAN_CLASSES index + 1 (0 stays "not computed"). */
export function intrinsicClassCode(span: Span): number {
  return SPAN_CLASSES.indexOf(classifySpan(span).cls) + 1;
}
