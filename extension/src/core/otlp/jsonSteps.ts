// JSON.parse of a large body in steps, so that a 64 MiB OTLP/JSON request does not block the event loop for
// the whole parse (JSON.parse itself cannot be interrupted). The body's bytes are walked structurally only as
// deep as needed: every value whose text fits in `leafBytes` is handed to the native JSON.parse whole; a bigger
// object or array is walked member by member, and the generator yields between members. The result is the
// value JSON.parse would make of the whole text (same duplicate-key and `__proto__` handling); text that
// JSON.parse would reject is rejected, with an OtlpDecodeError.
import { OtlpDecodeError } from './decodeError';
import { OTLP_MESSAGES } from './otlpFields';
import { decodeUtf8Strict } from './utf8';


const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * An element of a large `resourceSpans` / `scopeSpans` / `spans` array, left as text until the decoder gets to
 * it (`materializeJson`): the decoder then turns each span's JSON into a Span right away, so the JSON objects
 * of a large body are never all alive at once (with them all alive, major GC pauses alone exceed the target).
 */
export class LazyJson {
  constructor(readonly parse: () => unknown) {}
}

/** `v` itself, or the value of a LazyJson. */
export function materializeJson(v: unknown): unknown {
  return v instanceof LazyJson ? v.parse() : v;
}

const LAZY_ARRAYS: ReadonlySet<string> = new Set([
  OTLP_MESSAGES.ExportTraceServiceRequest.fields.resourceSpans.json,
  OTLP_MESSAGES.ResourceSpans.fields.scopeSpans.json,
  OTLP_MESSAGES.ScopeSpans.fields.spans.json,
]);

export interface JsonStepsOptions {
  /** Values up to this many bytes are parsed by one JSON.parse call. */
  readonly leafBytes?: number;
  /** Yield after about this many bytes. */
  readonly sliceBytes?: number;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Parses `body` (UTF-8 JSON text), yielding between slices of work. */
export function* parseJsonSteps(body: Uint8Array, options: JsonStepsOptions = {}): Generator<void, unknown, void> {
  const leafBytes = options.leafBytes ?? 64 * 1024;
  const sliceBytes = options.sliceBytes ?? 256 * 1024;
  const end = body.length;
  let pos = 0;
  let lastYield = 0;
  // A UTF-8 byte order mark is dropped, as TextDecoder does.
  if (end >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) pos = 3;

  const fail = (what: string): never => {
    throw new OtlpDecodeError(`invalid JSON: ${what} at byte ${pos}`);
  };
  const text = (start: number, stop: number): string => {
    return decodeUtf8Strict(body.subarray(start, stop));
  };
  const parseLeaf = (start: number, stop: number): unknown => {
    try {
      return JSON.parse(text(start, stop));
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw err;
      throw new OtlpDecodeError(`invalid JSON: ${(err as Error).message} (in the value at byte ${start})`);
    }
  };
  const skipWs = (): void => {
    while (pos < end && isWs(body[pos]!)) pos++;
  };
  /** End (exclusive) of the string starting at pos (a quote). */
  const stringEnd = (from: number): number => {
    let i = from + 1;
    while (i < end) {
      const c = body[i]!;
      if (c === QUOTE) return i + 1;
      i += c === BACKSLASH ? 2 : 1;
    }
    pos = from;
    return fail('unterminated string');
  };
  /**
   * End (exclusive) of the value starting at pos if it ends within `limit` bytes, else -1. Only brackets and
   * strings are tracked; JSON.parse checks the rest.
   */
  const valueEnd = (from: number, limit: number): number => {
    const c0 = body[from]!;
    const stop = Math.min(end, from + limit);
    // A string, number or literal is one JSON.parse whatever its size.
    if (c0 === QUOTE) return stringEnd(from);
    if (c0 !== LBRACE && c0 !== LBRACKET) {
      // A number or literal: up to the next delimiter.
      let i = from;
      while (i < end) {
        const c = body[i]!;
        if (c === COMMA || c === RBRACE || c === RBRACKET || isWs(c)) break;
        i++;
      }
      return i;
    }
    let depth = 0;
    let i = from;
    while (i < stop) {
      const c = body[i]!;
      if (c === QUOTE) {
        i++;
        while (i < stop) {
          const d = body[i]!;
          if (d === QUOTE) break;
          i += d === BACKSLASH ? 2 : 1;
        }
        i++;
      } else {
        if (c === LBRACE || c === LBRACKET) depth++;
        else if (c === RBRACE || c === RBRACKET) {
          depth--;
          if (depth === 0) return i + 1;
        }
        i++;
      }
    }
    return -1;
  };

  /** `lazy`: this is an element of a large array named in LAZY_ARRAYS; `name`: the property it is the value of. */
  function* value(nesting: number, lazy: boolean, name = ''): Generator<void, unknown, void> {
    skipWs();
    if (pos >= end) return fail('unexpected end of input');
    if (pos - lastYield >= sliceBytes) {
      lastYield = pos;
      yield;
    }
    const start = pos;
    const e = valueEnd(start, leafBytes);
    if (e >= 0) {
      pos = e;
      return lazy ? new LazyJson(() => parseLeaf(start, e)) : parseLeaf(start, e);
    }
    // A container too large for one JSON.parse: walk its members. Only large containers get here, so the
    // nesting is bounded by the body size over leafBytes; still keep the recursion shallow.
    if (nesting > 64) return fail('containers nested too deeply');
    const open = body[pos]!;
    pos++;
    if (open === LBRACKET) {
      const out: unknown[] = [];
      const lazyElements = LAZY_ARRAYS.has(name);
      skipWs();
      if (body[pos] === RBRACKET) {
        pos++;
        return out;
      }
      for (;;) {
        out.push(yield* value(nesting + 1, lazyElements));
        skipWs();
        const c = body[pos];
        pos++;
        if (c === RBRACKET) return out;
        if (c !== COMMA) {
          pos--;
          return fail("expected ',' or ']'");
        }
      }
    }
    const out: Record<string, unknown> = {};
    skipWs();
    if (body[pos] === RBRACE) {
      pos++;
      return out;
    }
    for (;;) {
      skipWs();
      if (body[pos] !== QUOTE) return fail('expected a property name');
      const ks = pos;
      pos = stringEnd(ks);
      const key = parseLeaf(ks, pos) as string;
      skipWs();
      if (body[pos] !== COLON) return fail("expected ':'");
      pos++;
      const v = yield* value(nesting + 1, false, key);
      // As JSON.parse does: an own data property even for "__proto__", the last duplicate wins.
      Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      skipWs();
      const c = body[pos];
      pos++;
      if (c === RBRACE) return out;
      if (c !== COMMA) {
        pos--;
        return fail("expected ',' or '}'");
      }
    }
  }

  const result = yield* value(0, false);
  skipWs();
  if (pos < end) fail('unexpected data after the value');
  return result;
}
