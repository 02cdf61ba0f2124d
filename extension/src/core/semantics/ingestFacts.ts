// What the store keeps about every span at ingest, so views that go over many spans (the timeline, filters,
// subtree sums) read row bits instead of decoding each span: its class on its own, and whether it has usage,
// a source file, events or a `span.type`. Computed from the indexed attributes only; the decoder runs it on
// the fields it has just read, the store on Span objects that come decoded.
import { SpanFacts } from '../../protocol/spanFacts';
import type { KeyValue } from '../model/anyValue';
import { Span, StatusCode } from '../model/span';
import { CLASS_ATTRIBUTE_KEYS, CLASS_ATTRIBUTE_PREFIXES, classifySpan } from './classification';
import { SPAN_CLASSES } from './spanClass';
import { isMsgtraceScope } from './spanFacts';
import { USAGE_KEYS } from './usage';

// What a key means for the facts and for classification, computed once per distinct key string (keys repeat;
// the decoder interns them, so the map lookup is a hash already computed).
export const KEY_USAGE = 1;
export const KEY_SOURCE = 2;
export const KEY_CLASS = 4;
export const KEY_SPAN_TYPE = 8;
const keyKinds = new Map<string, number>();

/** The keys that name a span's source file (SpanFacts.hasSource): the stable one and the pre-1.30 one (docs/otlp.md). */
export const SOURCE_FILE_KEYS: ReadonlySet<string> = new Set(['code.file.path', 'code.filepath']);
/** The msgflux attribute whose value decides the spanType facts. */
export const SPAN_TYPE_KEY = 'span.type';

/**
 * Whether an attribute with this key can change the span's intrinsic class: the classification rules' own list
 * (classification.ts), so a new rule's keys reach the ingest without anyone keeping a copy in step.
 */
export function isClassKey(key: string): boolean {
  if (CLASS_ATTRIBUTE_KEYS.has(key)) return true;
  for (const p of CLASS_ATTRIBUTE_PREFIXES) if (key.startsWith(p)) return true;
  return false;
}

/** What an attribute key means for ingestFactBits and for the class memo (KEY_ bits). */
export function keyKind(key: string): number {
  let kind = keyKinds.get(key);
  if (kind === undefined) {
    kind = 0;
    if (SOURCE_FILE_KEYS.has(key)) kind |= KEY_SOURCE;
    if (USAGE_KEYS.has(key)) kind |= KEY_USAGE;
    if (isClassKey(key)) kind |= KEY_CLASS;
    if (key === SPAN_TYPE_KEY) kind |= KEY_SPAN_TYPE;
    if (keyKinds.size < 65536) keyKinds.set(key, kind);
  }
  return kind;
}

/** The SpanFacts bits one attribute gives, from its key's kind (keyKind) and its value. */
export function factBitsOf(kind: number, value: KeyValue['value']): number {
  let bits = 0;
  if (kind & KEY_SOURCE) bits |= SpanFacts.hasSource;
  if (kind & KEY_USAGE && value !== null) bits |= SpanFacts.hasUsage;
  if (kind & KEY_SPAN_TYPE && typeof value === 'string') bits |= value === 'flow' ? SpanFacts.spanType | SpanFacts.spanTypeFlow : SpanFacts.spanType;
  return bits;
}

/** The DECODED_FACTS bits (protocol/spanFacts.ts) the span has. */
export function ingestFactBits(span: Span): number {
  let bits = (span.eventCount > 0 ? SpanFacts.hasEvents : 0) | (span.statusCode === StatusCode.Error ? SpanFacts.error : 0);
  for (const kv of span.indexed) {
    const kind = keyKind(kv.key);
    if (kind !== 0) bits |= factBitsOf(kind, kv.value);
  }
  return bits;
}

/** The Span fields the classification rules read; everything else of a probe is absent. */
export type ClassProbeFields = { -readonly [K in 'name' | 'kind' | 'eventCount' | 'indexed' | 'scope' | 'resource']: Span[K] };

/**
 * A Span made without its constructor, for classifying what is not a Span object (a span being decoded into
 * columns, a store row): fill `fields`, pass `span` to the rules (semantics/spanFacts.ts reads no other field).
 */
export function newClassProbe(): { readonly fields: ClassProbeFields; readonly span: Span } {
  const fields = Object.create(Span.prototype) as ClassProbeFields;
  fields.eventCount = 0;
  return { fields, span: fields as unknown as Span };
}

/** The span's intrinsic class as its SPAN_CLASSES index + 1 (0 stays "not computed"). */
export function intrinsicClassCode(span: Span): number {
  return SPAN_CLASSES.indexOf(classifySpan(span).cls) + 1;
}

interface MemoEntry {
  readonly msgtrace: boolean;
  readonly attributes: readonly KeyValue[];
  readonly code: number;
}

/**
 * intrinsicClassCode for spans whose indexed KeyValues are shared objects (the protobuf decoder caches them by
 * their bytes): spans of one kind repeat their name, scope and class-deciding attributes, so the rules run
 * once per combination instead of once per span (they cost more than the rest of the decode). Memo entries
 * compare attributes by identity: a miss only costs a classification. Sound because a rule reads only the
 * span's name, whether its scope is msgtrace's, and its declared keys (IntrinsicRule.keys; checked by
 * test/unit/semantics/classFacts.test.ts).
 */
export class ClassMemo {
  private readonly byName = new Map<string, MemoEntry[]>();
  private size = 0;
  private readonly scratch: KeyValue[] = [];

  code(span: Span): number {
    const rel = this.scratch;
    let n = 0;
    for (const kv of span.indexed) if (keyKind(kv.key) & KEY_CLASS) rel[n++] = kv;
    return this.codeWith(span, rel, n);
  }

  /** code() when the caller has the class-deciding attributes already (the first `n` of `rel`). */
  codeWith(span: Span, rel: readonly KeyValue[], n: number): number {
    const msgtrace = isMsgtraceScope(span);
    let list = this.byName.get(span.name);
    if (list !== undefined) {
      for (const e of list) {
        if (e.msgtrace !== msgtrace || e.attributes.length !== n) continue;
        let i = 0;
        while (i < n && e.attributes[i] === rel[i]) i++;
        if (i === n) return e.code;
      }
    }
    const code = intrinsicClassCode(span);
    if (this.size >= 4096) {
      this.byName.clear();
      this.size = 0;
      list = undefined;
    }
    if (list === undefined) this.byName.set(span.name, (list = []));
    if (list.length < 8) {
      list.push({ msgtrace, attributes: rel.slice(0, n), code });
      this.size++;
    }
    return code;
  }
}
