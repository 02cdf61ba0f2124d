// Finding JSON values in an answer's bytes without parsing them: Jaeger's v3 API wraps OTLP/JSON in a `result`
// envelope and may send several such objects one after another (a stream, newline separated or not). The OTLP/JSON
// inside is handed as bytes to core's one-pass decoder, which is several times faster than JSON.parse + transcoding,
// so this scanner only finds where each value starts and ends; the decoders check the grammar of what they read.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Bytes that are not JSON (where a value should start, an unterminated string, unbalanced nesting). */
export class JsonScanError extends Error {
  override readonly name = 'JsonScanError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

/** A value's bytes: [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(b: Uint8Array, p: number, end: number): number {
  while (p < end && isSpace(b[p]!)) p++;
  return p;
}

/** The bytes as a Buffer (a view, not a copy), for its native search. */
const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The end of the string whose opening quote is at `p` (the index after its closing quote). */
function skipString(b: Buffer, p: number, end: number): number {
  let q = p + 1;
  for (;;) {
    // Strings are most of an OTLP/JSON answer: the native search skips their bytes.
    const close = b.indexOf(QUOTE, q);
    if (close < 0 || close >= end) throw new JsonScanError('unterminated string', p);
    let backslashes = 0;
    for (let i = close - 1; i > p && b[i] === BACKSLASH; i--) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    q = close + 1;
  }
}

/** The end of the value that starts at `p` (after whitespace). */
export function skipValue(bytes: Uint8Array, p: number, end = bytes.length): number {
  const b = asBuffer(bytes);
  p = skipSpace(b, p, end);
  if (p >= end) throw new JsonScanError('expected a value, found the end', p);
  const c = b[p]!;
  if (c === QUOTE) return skipString(b, p, end);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    let q = p;
    while (q < end) {
      const d = b[q]!;
      if (d === QUOTE) {
        q = skipString(b, q, end);
        continue;
      }
      if (d === LBRACE || d === LBRACKET) depth++;
      else if (d === RBRACE || d === RBRACKET) {
        depth--;
        if (depth === 0) return q + 1;
      }
      q++;
    }
    throw new JsonScanError(`unbalanced ${c === LBRACE ? 'object' : 'array'}`, p);
  }
  // A number or literal runs to the next delimiter.
  let q = p;
  while (q < end) {
    const d = b[q]!;
    if (isSpace(d) || d === COMMA || d === RBRACE || d === RBRACKET || d === COLON || d === LBRACE || d === LBRACKET || d === QUOTE) break;
    q++;
  }
  if (q === p) throw new JsonScanError(`unexpected byte 0x${c.toString(16)}`, p);
  return q;
}

/** The top-level values of a body: one JSON document, or several concatenated (with or without newlines). */
export function topLevelValues(bytes: Uint8Array): ByteRange[] {
  const b = asBuffer(bytes);
  const out: ByteRange[] = [];
  let p = 0;
  // A UTF-8 byte order mark is dropped, as the decoders do.
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) p = 3;
  for (;;) {
    p = skipSpace(b, p, b.length);
    if (p >= b.length) return out;
    const end = skipValue(b, p);
    out.push({ start: p, end });
    p = end;
  }
}

/** The first byte that is not whitespace, -1 when there is none (tells JSON from HTML or protobuf). */
export function firstNonSpace(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) if (!isSpace(b[i]!)) return b[i]!;
  return -1;
}

/** Whether the value at `range` is an object (its first byte is `{`). */
export function isObject(b: Uint8Array, range: ByteRange): boolean {
  return b[range.start] === LBRACE;
}

/**
 * The members of the object at `range` whose keys are among `keys` (keys compared as raw bytes: the envelope's
 * keys have no escapes). Absent keys are not in the map.
 */
export function objectMembers(bytes: Uint8Array, range: ByteRange, keys: readonly string[]): Map<string, ByteRange> {
  const b = asBuffer(bytes);
  const found = new Map<string, ByteRange>();
  const wanted = new Map(keys.map(k => [k, Buffer.from(k, 'utf8')]));
  const end = range.end;
  let p = range.start;
  if (b[p] !== LBRACE) throw new JsonScanError('expected an object', p);
  p = skipSpace(b, p + 1, end);
  if (b[p] === RBRACE) return found;
  for (;;) {
    if (b[p] !== QUOTE) throw new JsonScanError('expected a key', p);
    const keyEnd = skipString(b, p, end);
    const keyStart = p + 1;
    const keyLength = keyEnd - 1 - keyStart;
    p = skipSpace(b, keyEnd, end);
    if (b[p] !== COLON) throw new JsonScanError('expected ":"', p);
    const valueStart = skipSpace(b, p + 1, end);
    const valueEnd = skipValue(b, valueStart, end);
    for (const [key, bytes] of wanted) {
      if (bytes.length === keyLength && Buffer.compare(bytes, b.subarray(keyStart, keyStart + keyLength)) === 0) found.set(key, { start: valueStart, end: valueEnd });
    }
    p = skipSpace(b, valueEnd, end);
    if (b[p] === COMMA) {
      p = skipSpace(b, p + 1, end);
      continue;
    }
    if (b[p] === RBRACE) return found;
    throw new JsonScanError('expected "," or "}"', p);
  }
}

/** JSON.parse of a range (small envelopes and error bodies). Throws JsonScanError when it is not JSON. */
export function parseRange(bytes: Uint8Array, range: ByteRange): unknown {
  const text = asBuffer(bytes).toString('utf8', range.start, range.end);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new JsonScanError(`invalid JSON: ${(err as Error).message}`, range.start);
  }
}
