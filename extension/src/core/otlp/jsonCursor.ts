// A JSON grammar cursor over UTF-8 bytes, for the one-pass OTLP/JSON transcoder (jsonBytesTranscoder.ts): what
// JSON.parse accepts (strings with their escapes, numbers, literals, whitespace, nesting), checked byte by byte
// without making a value. Anything it does not accept, or that its user does not handle, throws GIVE_UP: the
// caller then takes the exact path (JSON.parse), which also says what is wrong.

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const MINUS = 0x2d;

/** Thrown (one shared instance) when the input leaves the subset this path handles. */
export const GIVE_UP = new Error('outside the fast OTLP/JSON subset');

/** Hex digit values by byte, -1 for anything else. */
export const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

export class JsonCursor {
  p = 0;
  protected readonly end: number;
  // Results of str() and num().
  protected s0 = 0;
  protected s1 = 0;
  protected escaped = false;
  protected intValue = 0;
  protected intDigits = 0;
  protected isPlainInt = false;

  constructor(protected readonly b: Uint8Array) {
    this.end = b.length;
    // A UTF-8 byte order mark is dropped, as TextDecoder and the exact path do.
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.p = 3;
  }

  protected hex4(at: number): number {
    const b = this.b;
    return (HEX[b[at]!]! << 12) | (HEX[b[at + 1]!]! << 8) | (HEX[b[at + 2]!]! << 4) | HEX[b[at + 3]!]!;
  }

  /** Skips whitespace; the next byte, or -1 at the end. */
  protected ws(): number {
    const b = this.b;
    let p = this.p;
    while (p < this.end) {
      const c = b[p]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.p = p;
        return c;
      }
      p++;
    }
    this.p = p;
    return -1;
  }

  protected open(c: number): void {
    if (this.ws() !== c) throw GIVE_UP;
    this.p++;
  }

  /**
   * After an opening bracket (`first`): false if the container is empty (its closer consumed). After a member:
   * true after a comma, false after the closer.
   */
  protected more(close: number, first: boolean): boolean {
    const c = this.ws();
    if (c === close) {
      this.p++;
      return false;
    }
    if (first) return true;
    if (c !== COMMA) throw GIVE_UP;
    this.p++;
    return true;
  }

  /**
   * `seen` with bit `bit` added; gives up on a repeated name (JSON.parse keeps the last, a stream cannot). The bit
   * is the name's id (jsonBytesTranscoder.ts; those of envelopes, spans, events, links and KeyValues are below
   * 31); AnyValue names pass their offset from stringValue, and `values` bit 0.
   */
  protected once(seen: number, bit: number): number {
    const m = 1 << bit;
    if (seen & m) throw GIVE_UP;
    return seen | m;
  }

  /** A string at p: its content range into s0/s1, whether it has escapes; checks escapes and control bytes. */
  protected str(): void {
    const b = this.b;
    let p = this.p;
    if (b[p] !== QUOTE) throw GIVE_UP;
    p++;
    this.s0 = p;
    let escaped = false;
    for (;;) {
      if (p >= this.end) throw GIVE_UP;
      const c = b[p]!;
      if (c === QUOTE) break;
      if (c < 0x20) throw GIVE_UP;
      if (c === BACKSLASH) {
        escaped = true;
        const e = b[p + 1];
        if (e === 0x75) {
          if (p + 6 > this.end) throw GIVE_UP;
          if ((HEX[b[p + 2]!]! | HEX[b[p + 3]!]! | HEX[b[p + 4]!]! | HEX[b[p + 5]!]!) < 0) throw GIVE_UP;
          p += 6;
          continue;
        }
        if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) throw GIVE_UP;
        p += 2;
        continue;
      }
      p++;
    }
    this.s1 = p;
    this.escaped = escaped;
    this.p = p + 1;
  }

  /**
   * A JSON number at p, checked against the grammar; for a plain integer (no fraction, no exponent) its value
   * (exact up to 15 digits) and digit count go to intValue / intDigits.
   */
  protected num(): void {
    const b = this.b;
    let p = this.p;
    const negative = b[p] === MINUS;
    if (negative) p++;
    const d0 = p;
    if (b[p] === 0x30) p++;
    else if (b[p]! >= 0x31 && b[p]! <= 0x39) while (p < this.end && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
    else throw GIVE_UP;
    const digits = p - d0;
    let plain = true;
    if (b[p] === 0x2e) {
      plain = false;
      p++;
      const f0 = p;
      while (p < this.end && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
      if (p === f0) throw GIVE_UP;
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      plain = false;
      p++;
      if (b[p] === 0x2b || b[p] === MINUS) p++;
      const e0 = p;
      while (p < this.end && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
      if (p === e0) throw GIVE_UP;
    }
    this.isPlainInt = plain;
    this.intDigits = digits;
    if (plain && digits <= 15) {
      let v = 0;
      for (let i = d0; i < p; i++) v = v * 10 + (b[i]! - 48);
      this.intValue = negative ? -v : v;
    }
    this.p = p;
  }

  protected literal(word: string): boolean {
    const b = this.b;
    const p = this.p;
    for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return false;
    this.p = p + word.length;
    return true;
  }

  /** Consumes `null` if it is next. */
  protected isNull(): boolean {
    return this.ws() === 0x6e && this.literal('null');
  }

  /** A property name (any string) and its colon. */
  protected name(): void {
    if (this.ws() !== QUOTE) throw GIVE_UP;
    this.str();
    if (this.ws() !== COLON) throw GIVE_UP;
    this.p++;
  }

  /** Skips any JSON value, checking its grammar (what JSON.parse accepts), up to 64 levels deep. */
  protected skip(depth: number): void {
    if (depth > 64) throw GIVE_UP;
    const c = this.ws();
    if (c === QUOTE) return this.str();
    if (c === LBRACE) {
      this.p++;
      if (!this.more(RBRACE, true)) return;
      do {
        this.name();
        this.skip(depth + 1);
      } while (this.more(RBRACE, false));
      return;
    }
    if (c === LBRACKET) {
      this.p++;
      if (!this.more(RBRACKET, true)) return;
      do this.skip(depth + 1);
      while (this.more(RBRACKET, false));
      return;
    }
    if (c === 0x74 && this.literal('true')) return;
    if (c === 0x66 && this.literal('false')) return;
    if (c === 0x6e && this.literal('null')) return;
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) return this.num();
    throw GIVE_UP;
  }
}
