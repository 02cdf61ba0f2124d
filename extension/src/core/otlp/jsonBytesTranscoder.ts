// OTLP/JSON bytes -> the same request as protobuf, in one pass over the bytes: no JSON.parse, no string or object
// per value (keys are matched by their bytes, string values are copied as bytes). This is the fast path of
// jsonDecoder.ts for what OpenTelemetry exporters send; it gives up (returns undefined) on anything outside that
// subset (escaped keys, duplicate keys, enum names, 20-digit times, base64 bytes, NaN strings, malformed JSON...)
// and the caller then takes the exact path (JSON.parse + jsonTranscoder.ts), which also gives the error messages.
// Whenever this path answers, its protobuf decodes to what the exact path's does (differential property test in
// test/unit/otlp/jsonBytesTranscoder.test.ts).
import { isUtf8 } from 'node:buffer';
import { nanosWords, wordsHi, wordsLo } from '../model/time';
import { BACKSLASH, COLON, GIVE_UP, HEX, JsonCursor, LBRACE, LBRACKET, MINUS, QUOTE, RBRACE, RBRACKET } from './jsonCursor';
import {
  AnyValueField,
  ArrayValueField,
  EventField,
  ExportTraceServiceRequestField,
  InstrumentationScopeField,
  KeyValueField,
  KeyValueListField,
  LinkField,
  OTLP_MESSAGES,
  type OtlpField,
  type OtlpJsonName,
  ResourceField,
  ResourceSpansField,
  ScopeSpansField,
  SpanField,
  StatusField,
} from './otlpFields';
import { bufferView } from './protoReader';
import { ProtoWriter } from './protoWriter';
import { type RejectionTally, idRejection } from './rejections';

// Property names, matched by their bytes: every OTLP/JSON name of the messages this path reads (otlpFields.ts),
// each once, in this order, so that an object kind's names get small ids (seen members are bits of an int) and
// AnyValue's seven are consecutive. Each object kind checks the ids it knows; others are skipped.
const SCANNED = [
  'ExportTraceServiceRequest',
  'ResourceSpans',
  'Resource',
  'ScopeSpans',
  'InstrumentationScope',
  'Span',
  'Span.Event',
  'Span.Link',
  'Status',
  'KeyValue',
  'AnyValue',
  'ArrayValue',
  'KeyValueList',
] as const;
type Scanned = (typeof SCANNED)[number];
type Name = { [M in Scanned]: OtlpJsonName<M> }[Scanned];
const NAMES = [...new Set(SCANNED.flatMap(m => Object.values<OtlpField>(OTLP_MESSAGES[m].fields).map(f => f.json as Name)))];
const ID = Object.fromEntries(NAMES.map((n, i) => [n, i + 1])) as Record<Name, number>;
// What the members' bookkeeping below assumes of those ids.
if (ID.bytesValue - ID.stringValue !== 6 || ID.values - ID.stringValue <= 6 || Math.max(ID.flags, ID.timeUnixNano, ID.key, ID.value, ID.message, ID.code) >= 31) {
  throw new Error('jsonBytesTranscoder: unexpected name ids');
}
const nameBytes = NAMES.map(n => Uint8Array.from(n, c => c.charCodeAt(0)));
/** Candidate name indexes by a hash of the length and the first and last byte (an array lookup, no Map). */
const SHAPE_SLOTS = 512;
const shapeOf = (len: number, first: number, last: number) => (len * 31 + first * 7 + last * 3) & (SHAPE_SLOTS - 1);
const byShape: (number[] | undefined)[] = new Array<number[] | undefined>(SHAPE_SLOTS).fill(undefined);
NAMES.forEach((n, i) => {
  const k = shapeOf(n.length, n.charCodeAt(0), n.charCodeAt(n.length - 1));
  (byShape[k] ??= []).push(i);
});


/**
 * Transcodes `body`, yielding after every `spansPerSlice` spans. Returns the protobuf request, or undefined when
 * the body is outside the subset (nothing is counted in `rejections` then).
 */
export function* transcodeJsonBytes(body: Uint8Array, maxDepth: number, rejections: RejectionTally, spansPerSlice: number): Generator<void, Uint8Array | undefined, void> {
  if (!isUtf8(body)) return undefined;
  // The protobuf of an OTLP/JSON request is never longer than the JSON (every field's tag and length take fewer
  // bytes than its quoted name), so the writer never grows: no copy of a large buffer in one turn. Memory not
  // written is never touched (an unfilled allocation).
  const scan = new Scanner(body, maxDepth, spansPerSlice, body.length + 16);
  try {
    const bytes = yield* scan.request();
    for (const r of scan.rejected) rejections.add(r);
    return bytes;
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

class Scanner extends JsonCursor {
  readonly w: ProtoWriter;
  /** Rejection reasons, counted only if the whole body goes through. */
  readonly rejected: string[] = [];
  private readonly id = new Uint8Array(16);
  private idOk = false;
  /** The body as a Buffer, for its native copy. */
  private readonly nb: Buffer;

  private sinceYield = 0;

  constructor(
    b: Uint8Array,
    private readonly maxDepth: number,
    private readonly spansPerSlice: number,
    capacity: number,
  ) {
    super(b);
    this.nb = bufferView(b);
    this.w = new ProtoWriter(capacity);
  }

  *request(): Generator<void, Uint8Array, void> {
    this.open(LBRACE);
    let seen = 0;
    if (this.more(RBRACE, true)) {
      do {
        const k = this.key();
        if (k !== ID.resourceSpans) {
          this.skip(0);
          continue;
        }
        seen = this.once(seen, k);
        if (this.isNull()) continue;
        this.open(LBRACKET);
        if (!this.more(RBRACKET, true)) continue;
        do yield* this.envelope(ExportTraceServiceRequestField.resourceSpans, false);
        while (this.more(RBRACKET, false));
      } while (this.more(RBRACE, false));
    }
    if (this.ws() !== -1) throw GIVE_UP;
    return this.w.finish();
  }

  /**
   * A ResourceSpans (in the request's `field`) or, with `scope`, a ScopeSpans (in a ResourceSpans' `field`): both
   * are a head (resource or scope), a list (scopeSpans or spans) and a schemaUrl. Left out again when none of its
   * spans is accepted; returns how many were.
   */
  private *envelope(field: number, scope: boolean): Generator<void, number, void> {
    const w = this.w;
    const start = w.pos;
    const mark = w.begin(field);
    let accepted = 0;
    let seen = 0;
    this.open(LBRACE);
    if (this.more(RBRACE, true)) {
      do {
        const k = this.key();
        if (k === (scope ? ID.scope : ID.resource)) {
          seen = this.once(seen, k);
          if (!this.isNull()) this.message(scope ? ScopeSpansField.scope : ResourceSpansField.resource, scope ? this.scopeMember : this.resourceMember);
        } else if (k === ID.schemaUrl) {
          seen = this.once(seen, k);
          this.stringField(scope ? ScopeSpansField.schemaUrl : ResourceSpansField.schemaUrl);
        } else if (k === (scope ? ID.spans : ID.scopeSpans)) {
          seen = this.once(seen, k);
          if (this.isNull()) continue;
          this.open(LBRACKET);
          if (!this.more(RBRACKET, true)) continue;
          do {
            if (!scope) accepted += yield* this.envelope(ResourceSpansField.scopeSpans, true);
            else {
              if (this.span()) accepted++;
              if (++this.sinceYield >= this.spansPerSlice) {
                this.sinceYield = 0;
                yield;
              }
            }
          } while (this.more(RBRACKET, false));
        } else this.skip(0);
      } while (this.more(RBRACE, false));
    }
    if (accepted > 0) w.end(mark);
    else w.pos = start;
    return accepted;
  }

  /**
   * Walks an object's members into message `field`: `member(k)` writes the member named by id `k`, or returns
   * false for a name it does not take (the value is then skipped). A repeated name gives up. With `omitEmpty`,
   * a message that got no field is not written.
   */
  private message(field: number, member: (k: number) => boolean, omitEmpty = false): void {
    const w = this.w;
    const start = w.pos;
    const mark = w.begin(field);
    let seen = 0;
    this.open(LBRACE);
    if (this.more(RBRACE, true)) {
      do {
        const k = this.key();
        if (member(k)) seen = this.once(seen, k);
        else this.skip(0);
      } while (this.more(RBRACE, false));
    }
    if (omitEmpty && w.pos === mark) w.pos = start;
    else w.end(mark);
  }

  // The members of the small messages, made once per request (not a closure per message).
  private readonly resourceMember = (k: number): boolean => {
    if (k === ID.attributes) this.attributes(ResourceField.attributes, this.maxDepth);
    else if (k === ID.droppedAttributesCount) this.uint32Field(ResourceField.droppedAttributesCount, false);
    else return false;
    return true;
  };

  private readonly scopeMember = (k: number): boolean => {
    if (k === ID.name) this.stringField(InstrumentationScopeField.name);
    else if (k === ID.version) this.stringField(InstrumentationScopeField.version);
    else if (k === ID.attributes) this.attributes(InstrumentationScopeField.attributes, this.maxDepth);
    else if (k === ID.droppedAttributesCount) this.uint32Field(InstrumentationScopeField.droppedAttributesCount, false);
    else return false;
    return true;
  };

  private readonly eventMember = (k: number): boolean => {
    if (k === ID.timeUnixNano) this.nanosField(EventField.timeUnixNano);
    else if (k === ID.name) this.stringField(EventField.name);
    else if (k === ID.attributes) this.attributes(EventField.attributes, this.maxDepth);
    else if (k === ID.droppedAttributesCount) this.uint32Field(EventField.droppedAttributesCount, false);
    else return false;
    return true;
  };

  private readonly linkMember = (k: number): boolean => {
    if (k === ID.traceId || k === ID.spanId) this.linkId(k === ID.traceId ? LinkField.traceId : LinkField.spanId);
    else if (k === ID.traceState) this.stringField(LinkField.traceState);
    else if (k === ID.attributes) this.attributes(LinkField.attributes, this.maxDepth);
    else if (k === ID.droppedAttributesCount) this.uint32Field(LinkField.droppedAttributesCount, false);
    else if (k === ID.flags) this.uint32Field(LinkField.flags, true);
    else return false;
    return true;
  };

  // An empty Status is not written, as the exact path does.
  private readonly statusMember = (k: number): boolean => {
    if (k === ID.message) this.stringField(StatusField.message);
    else if (k === ID.code) this.enumField(StatusField.code);
    else return false;
    return true;
  };

  /** A link's trace or span id: any even number of hex digits, or empty (the exact path's rule for links). */
  private linkId(field: number): void {
    if (this.isNull()) return;
    this.str();
    const n = this.s1 - this.s0;
    if (this.escaped || n % 2 !== 0 || n > 32) throw GIVE_UP;
    if (n === 0) return;
    if (!this.hex(this.s0, n, n / 2)) throw GIVE_UP;
    this.w.bytes(field, this.id.subarray(0, n / 2));
  }

  /** One Span of a ScopeSpans; false (nothing written) when its ids reject it. */
  private span(): boolean {
    const w = this.w;
    const start = w.pos;
    const mark = w.begin(ScopeSpansField.spans);
    let traceOk = false;
    let spanOk = false;
    let parentOk = true;
    let seen = 0;
    this.open(LBRACE);
    if (this.more(RBRACE, true)) {
      do {
        const k = this.key();
        if (k !== 0 && k < 31) seen = this.once(seen, k);
        switch (k) {
          case ID.traceId:
            traceOk = this.spanId(16, SpanField.traceId, false);
            break;
          case ID.spanId:
            spanOk = this.spanId(8, SpanField.spanId, false);
            break;
          case ID.parentSpanId:
            parentOk = this.spanId(8, SpanField.parentSpanId, true);
            break;
          case ID.traceState:
            this.stringField(SpanField.traceState);
            break;
          case ID.name:
            this.stringField(SpanField.name);
            break;
          case ID.kind:
            this.enumField(SpanField.kind);
            break;
          case ID.startTimeUnixNano:
            this.nanosField(SpanField.startTimeUnixNano);
            break;
          case ID.endTimeUnixNano:
            this.nanosField(SpanField.endTimeUnixNano);
            break;
          case ID.attributes:
            this.attributes(SpanField.attributes, this.maxDepth);
            break;
          case ID.droppedAttributesCount:
            this.uint32Field(SpanField.droppedAttributesCount, false);
            break;
          case ID.events:
            this.list(SpanField.events, this.eventMember);
            break;
          case ID.droppedEventsCount:
            this.uint32Field(SpanField.droppedEventsCount, false);
            break;
          case ID.links:
            this.list(SpanField.links, this.linkMember);
            break;
          case ID.droppedLinksCount:
            this.uint32Field(SpanField.droppedLinksCount, false);
            break;
          case ID.status:
            if (!this.isNull()) this.message(SpanField.status, this.statusMember, true);
            break;
          case ID.flags:
            this.uint32Field(SpanField.flags, true);
            break;
          default:
            this.skip(0);
        }
      } while (this.more(RBRACE, false));
    }
    const reason = idRejection(traceOk, spanOk, parentOk);
    if (reason) {
      this.rejected.push(reason);
      w.pos = start;
      return false;
    }
    w.end(mark);
    return true;
  }

  /**
   * A span's trace, span or parent id: written as bytes when it is hex of `bytes` bytes and not all zero. Returns
   * whether it is valid; an empty or all-zero parent is valid and written as nothing.
   */
  private spanId(bytes: number, field: number, parent: boolean): boolean {
    if (this.isNull()) return parent;
    this.str();
    if (this.escaped) throw GIVE_UP;
    const n = this.s1 - this.s0;
    if (n === 0) return parent;
    if (!this.hex(this.s0, n, bytes)) return false;
    if (!this.idOk) return parent;
    this.w.bytes(field, this.id.subarray(0, bytes));
    return true;
  }

  /** Hex of exactly `bytes` bytes at b[at, at+n) into this.id; idOk says whether any byte is non-zero. */
  private hex(at: number, n: number, bytes: number): boolean {
    if (n !== bytes * 2) return false;
    const b = this.b;
    let any = 0;
    for (let i = 0; i < bytes; i++) {
      const hi = HEX[b[at + 2 * i]!]!;
      const lo = HEX[b[at + 2 * i + 1]!]!;
      if ((hi | lo) < 0) return false;
      any |= this.id[i] = (hi << 4) | lo;
    }
    this.idOk = any !== 0;
    return true;
  }

  /** A list of objects (events, links) as repeated message `field`: null is empty, every element an object. */
  private list(field: number, member: (k: number) => boolean): void {
    if (this.isNull()) return;
    this.open(LBRACKET);
    if (!this.more(RBRACKET, true)) return;
    do this.message(field, member);
    while (this.more(RBRACKET, false));
  }

  /** KeyValues as repeated message `field`. */
  private attributes(field: number, depth: number): void {
    if (this.isNull()) return;
    const w = this.w;
    this.open(LBRACKET);
    if (!this.more(RBRACKET, true)) return;
    do {
      const mark = w.begin(field);
      let seen = 0;
      this.open(LBRACE);
      if (this.more(RBRACE, true)) {
        do {
          const k = this.key();
          if (k === ID.key) {
            seen = this.once(seen, k);
            this.stringField(KeyValueField.key);
          } else if (k === ID.value) {
            seen = this.once(seen, k);
            if (this.isNull()) continue;
            const m = w.begin(KeyValueField.value);
            this.anyValue(depth);
            w.end(m);
          } else this.skip(0);
        } while (this.more(RBRACE, false));
      }
      w.end(mark);
    } while (this.more(RBRACKET, false));
  }

  /** The fields of one AnyValue (the caller opened its message). At most one non-null value field. */
  private anyValue(depth: number): void {
    const w = this.w;
    let values = 0;
    let seenKeys = 0;
    this.open(LBRACE);
    if (!this.more(RBRACE, true)) return;
    do {
      const k = this.key();
      if (k < ID.stringValue || k > ID.bytesValue) {
        this.skip(0);
        continue;
      }
      seenKeys = this.once(seenKeys, k - ID.stringValue);
      if (this.isNull()) continue;
      if (values++ > 0) throw GIVE_UP;
      switch (k) {
        case ID.stringValue:
          this.stringField(AnyValueField.stringValue, true);
          break;
        case ID.boolValue: {
          const c = this.ws();
          if (c === 0x74 && this.literal('true')) w.uint32(AnyValueField.boolValue, 1);
          else if (c === 0x66 && this.literal('false')) w.uint32(AnyValueField.boolValue, 0);
          else throw GIVE_UP;
          break;
        }
        case ID.intValue:
          this.int64Field(AnyValueField.intValue);
          break;
        case ID.doubleValue: {
          if (this.ws() === QUOTE) throw GIVE_UP;
          const at = this.p;
          this.num();
          let text = '';
          for (let i = at; i < this.p; i++) text += String.fromCharCode(this.b[i]!);
          w.double(AnyValueField.doubleValue, Number(text));
          break;
        }
        case ID.arrayValue:
        case ID.kvlistValue: {
          if (depth <= 0) throw GIVE_UP;
          const m = w.begin(k === ID.arrayValue ? AnyValueField.arrayValue : AnyValueField.kvlistValue);
          let seen = 0;
          this.open(LBRACE);
          if (this.more(RBRACE, true)) {
            do {
              const vk = this.key();
              if (vk !== ID.values) {
                this.skip(0);
                continue;
              }
              seen = this.once(seen, 0);
              if (k === ID.kvlistValue) this.attributes(KeyValueListField.values, depth - 1);
              else if (!this.isNull()) {
                this.open(LBRACKET);
                if (this.more(RBRACKET, true)) {
                  do {
                    const item = w.begin(ArrayValueField.values);
                    this.anyValue(depth - 1);
                    w.end(item);
                  } while (this.more(RBRACKET, false));
                }
              }
            } while (this.more(RBRACE, false));
          }
          w.end(m);
          break;
        }
        default:
          // bytesValue: base64 is left to the exact path.
          throw GIVE_UP;
      }
    } while (this.more(RBRACE, false));
  }

  // --- fields -------------------------------------------------------------------------------------------------

  /** A string (or null: nothing) written as field `field`; empty strings only when `keepEmpty`. */
  private stringField(field: number, keepEmpty = false): void {
    if (this.isNull()) return;
    this.str();
    const n = this.s1 - this.s0;
    if (n === 0 && !keepEmpty) return;
    const w = this.w;
    if (!this.escaped) {
      // The bytes as they are (valid UTF-8: the whole body was checked).
      w.bytesFrom(field, this.nb, this.s0, this.s1);
      return;
    }
    const mark = w.begin(field);
    this.unescapeInto(this.s0, this.s1);
    w.end(mark);
  }

  /** Decodes the JSON escapes of b[s0, s1) into the writer as UTF-8 (lone surrogates as U+FFFD). */
  private unescapeInto(s0: number, s1: number): void {
    const w = this.w;
    const b = this.b;
    w.ensure(s1 - s0);
    let i = s0;
    while (i < s1) {
      const c = b[i]!;
      if (c !== BACKSLASH) {
        w.buf[w.pos++] = c;
        i++;
        continue;
      }
      const e = b[i + 1]!;
      i += 2;
      let out = -1;
      switch (e) {
        case 0x22: out = 0x22; break;
        case 0x5c: out = 0x5c; break;
        case 0x2f: out = 0x2f; break;
        case 0x62: out = 0x08; break;
        case 0x66: out = 0x0c; break;
        case 0x6e: out = 0x0a; break;
        case 0x72: out = 0x0d; break;
        case 0x74: out = 0x09; break;
      }
      if (out >= 0) {
        w.buf[w.pos++] = out;
        continue;
      }
      // \uXXXX (str() checked the four hex digits); a high surrogate takes a following \u low surrogate.
      let cp = this.hex4(i);
      i += 4;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= s1 && b[i] === BACKSLASH && b[i + 1] === 0x75) {
        const lo = this.hex4(i + 2);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i += 6;
        }
      }
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      this.utf8(cp);
    }
  }

  /** One code point as UTF-8 (room was ensured: an escape is never shorter than its UTF-8). */
  private utf8(cp: number): void {
    const w = this.w;
    const buf = w.buf;
    let p = w.pos;
    if (cp < 0x80) buf[p++] = cp;
    else if (cp < 0x800) {
      buf[p++] = 0xc0 | (cp >> 6);
      buf[p++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      buf[p++] = 0xe0 | (cp >> 12);
      buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
      buf[p++] = 0x80 | (cp & 0x3f);
    } else {
      buf[p++] = 0xf0 | (cp >> 18);
      buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
      buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
      buf[p++] = 0x80 | (cp & 0x3f);
    }
    w.pos = p;
  }

  /** A uint32 (number, or string of digits) as a varint field, or a fixed32 one; 0 and null write nothing. */
  private uint32Field(field: number, fixed: boolean): void {
    if (this.isNull()) return;
    this.unsignedInt(10);
    const v = this.intValue;
    if (v > 0xffffffff) throw GIVE_UP;
    if (v === 0) return;
    if (fixed) this.w.fixed32(field, v);
    else this.w.uint32(field, v);
  }

  /** An enum as a plain (possibly negative) integer number; names and strings are left to the exact path. */
  private enumField(field: number): void {
    if (this.isNull()) return;
    if (this.ws() === QUOTE) throw GIVE_UP;
    this.num();
    if (!this.isPlainInt || this.intDigits > 15) throw GIVE_UP;
    const v = this.intValue | 0;
    if (v !== 0) this.w.uint32(field, v);
  }

  /** uint64 nanoseconds (string of up to 19 digits, or a number of up to 15) as fixed64; 0 writes nothing. */
  private nanosField(field: number): void {
    if (this.isNull()) return;
    const b = this.b;
    let ms = 0;
    let sub = 0;
    if (this.ws() === QUOTE) {
      this.str();
      const n = this.s1 - this.s0;
      if (this.escaped || n === 0 || n > 19) throw GIVE_UP;
      const split = this.s1 - 6;
      for (let i = this.s0; i < this.s1; i++) {
        const c = b[i]! - 48;
        if (c < 0 || c > 9) throw GIVE_UP;
        if (i < split) ms = ms * 10 + c;
        else sub = sub * 10 + c;
      }
    } else {
      this.num();
      if (!this.isPlainInt || this.intDigits > 15 || this.intValue < 0) throw GIVE_UP;
      sub = this.intValue % 1_000_000;
      ms = (this.intValue - sub) / 1_000_000;
    }
    if (ms === 0 && sub === 0) return;
    nanosWords(ms, sub);
    this.w.fixed64(field, wordsLo, wordsHi);
  }

  /** int64 as a string of up to 15 characters or a number of up to 15 digits (exact as doubles). */
  private int64Field(field: number): void {
    let v: number;
    if (this.ws() === QUOTE) {
      this.str();
      const b = this.b;
      const n = this.s1 - this.s0;
      if (this.escaped || n === 0 || n > 15) throw GIVE_UP;
      let i = this.s0;
      const negative = b[i] === MINUS;
      if (negative) i++;
      if (i === this.s1) throw GIVE_UP;
      v = 0;
      for (; i < this.s1; i++) {
        const c = b[i]! - 48;
        if (c < 0 || c > 9) throw GIVE_UP;
        v = v * 10 + c;
      }
      if (negative) v = -v;
    } else {
      this.num();
      if (!this.isPlainInt || this.intDigits > 15) throw GIVE_UP;
      v = this.intValue;
    }
    this.w.int64(field, v);
  }

  /** A non-negative integer (number, or string of digits) of at most `maxDigits` digits into intValue. */
  private unsignedInt(maxDigits: number): void {
    if (this.ws() === QUOTE) {
      this.str();
      const b = this.b;
      const n = this.s1 - this.s0;
      if (this.escaped || n === 0 || n > maxDigits) throw GIVE_UP;
      let v = 0;
      for (let i = this.s0; i < this.s1; i++) {
        const c = b[i]! - 48;
        if (c < 0 || c > 9) throw GIVE_UP;
        v = v * 10 + c;
      }
      this.intValue = v;
      return;
    }
    this.num();
    if (!this.isPlainInt || this.intValue < 0 || this.intDigits > maxDigits) throw GIVE_UP;
  }

  /** A property name and its colon; the NAMES id, or 0 for any other name. */
  private key(): number {
    if (this.ws() !== QUOTE) throw GIVE_UP;
    this.str();
    if (this.escaped) throw GIVE_UP;
    if (this.ws() !== COLON) throw GIVE_UP;
    this.p++;
    const b = this.b;
    const s0 = this.s0;
    const n = this.s1 - s0;
    if (n === 0) return 0;
    const candidates = byShape[shapeOf(n, b[s0]!, b[this.s1 - 1]!)];
    if (candidates === undefined) return 0;
    for (let c = 0; c < candidates.length; c++) {
      const i = candidates[c]!;
      const nb = nameBytes[i]!;
      if (nb.length !== n) continue;
      let j = 0;
      while (j < n && nb[j] === b[s0 + j]) j++;
      if (j === n) return i + 1;
    }
    return 0;
  }
}
