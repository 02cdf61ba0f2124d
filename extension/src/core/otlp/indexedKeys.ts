// Byte-level test of "is this attribute key indexed?", so that the keys of attributes that stay encoded are
// never turned into strings at ingest.
import { INDEXED_ATTRIBUTE_KEYS, INDEXED_ATTRIBUTE_PREFIXES, isIndexedAttributeKey } from '../model/indexedAttributes';
import { CLASS_ATTRIBUTE_KEYS, CLASS_ATTRIBUTE_PREFIXES } from '../semantics/classification';
import { SOURCE_FILE_KEYS, keyKind } from '../semantics/ingestFacts';
import { USAGE_KEYS } from '../semantics/usage';
import { sameBytes } from './protoReader';

const encoder = new TextEncoder();
const exactByLength = new Map<number, Uint8Array[]>();
for (const k of INDEXED_ATTRIBUTE_KEYS) {
  const b = encoder.encode(k);
  const list = exactByLength.get(b.length) ?? [];
  list.push(b);
  exactByLength.set(b.length, list);
}
const prefixes = INDEXED_ATTRIBUTE_PREFIXES.map(p => encoder.encode(p));
const firstBytes = new Uint8Array(256);
for (const k of [...INDEXED_ATTRIBUTE_KEYS, ...INDEXED_ATTRIBUTE_PREFIXES]) firstBytes[k.charCodeAt(0)] = 1;

function equalsAt(buf: Uint8Array, start: number, candidate: Uint8Array): boolean {
  for (let i = candidate.length - 1; i >= 0; i--) if (buf[start + i] !== candidate[i]) return false;
  return true;
}

/** Whether the UTF-8 key at buf[start, stop) is one `isIndexedAttributeKey` accepts. */
export function isIndexedKeyBytes(buf: Uint8Array, start: number, stop: number): boolean {
  if (stop <= start || firstBytes[buf[start]!] === 0) return false;
  const exact = exactByLength.get(stop - start);
  if (exact) for (const c of exact) if (equalsAt(buf, start, c)) return true;
  for (const p of prefixes) if (stop - start >= p.length && equalsAt(buf, start, p)) return true;
  return false;
}

/**
 * keyKind() of the UTF-8 key at buf[start, stop) without making a string: -1 when the key is not indexed. The
 * exact keys that mean something at ingest are compared by bytes; any other key under an indexed prefix takes
 * the kind of the longest prefix it is under. Must agree with keyKind() for every indexed key, or the decoder's
 * quick path would keep an attribute from the classification (test/unit/semantics/classFacts.test.ts).
 */
export function indexedKeyKindBytes(buf: Uint8Array, start: number, stop: number): number {
  if (stop <= start || firstBytes[buf[start]!] === 0) return -1;
  const exact = kindByLength.get(stop - start);
  if (exact) for (const [c, kind] of exact) if (equalsAt(buf, start, c)) return kind;
  for (let i = 0; i < kindPrefixes.length; i++) {
    const p = kindPrefixes[i]!;
    if (stop - start >= p.length && equalsAt(buf, start, p)) return prefixKinds[i]!;
  }
  return -1;
}

const kindByLength = new Map<number, [Uint8Array, number][]>();
// Exact keys with a kind: the indexed ones, and the indexed keys the facts and the classification rules read
// (usage, source file, class) that are indexed through a prefix.
for (const k of new Set([...INDEXED_ATTRIBUTE_KEYS, ...USAGE_KEYS, ...SOURCE_FILE_KEYS, ...CLASS_ATTRIBUTE_KEYS])) {
  if (!isIndexedAttributeKey(k)) continue;
  const b = encoder.encode(k);
  const list = kindByLength.get(b.length) ?? [];
  list.push([b, keyKind(k)]);
  kindByLength.set(b.length, list);
}
// Prefixes, longest first: the indexed ones, and class prefixes inside an indexed one (their keys are indexed
// and change the class, where the rest of the outer prefix's keys do not). A key's kind under a prefix is what
// keyKind says of any key there.
const kindPrefixStrings = [
  ...INDEXED_ATTRIBUTE_PREFIXES,
  ...CLASS_ATTRIBUTE_PREFIXES.filter(p => INDEXED_ATTRIBUTE_PREFIXES.some(outer => p.startsWith(outer)) && !INDEXED_ATTRIBUTE_PREFIXES.includes(p)),
].sort((a, b) => b.length - a.length);
const kindPrefixes = kindPrefixStrings.map(p => encoder.encode(p));
const prefixKinds = kindPrefixStrings.map(p => keyKind(`${p}\u0000`));


// Keys repeat from span to span, so indexedKeyKindBytes' answer is remembered per key bytes: a direct-mapped
// table (a miss replaces the slot) whose slot is a hash of the length and a few bytes, a hit checked byte by
// byte. Measured on the receiver benchmark's span, it takes the key lookup from a third of the decode to a tenth.
const KEY_MAX = 64;
const KEY_SLOTS = 1024;
const keyBytes = new Uint8Array(KEY_SLOTS * KEY_MAX);
const keyLen = new Int32Array(KEY_SLOTS).fill(-1);
const keyKindOf = new Int8Array(KEY_SLOTS);

/** indexedKeyKindBytes, remembered for keys up to 64 bytes (`view` is a DataView of `buf`). */
export function cachedKeyKindBytes(buf: Uint8Array, view: DataView, start: number, stop: number): number {
  const n = stop - start;
  if (n > KEY_MAX || n < 2) return indexedKeyKindBytes(buf, start, stop);
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  h = Math.imul(h ^ buf[start]!, 0x01000193);
  h = Math.imul(h ^ buf[start + (n >>> 1)]!, 0x01000193);
  h = Math.imul(h ^ buf[stop - 1]!, 0x01000193);
  h = Math.imul(h ^ buf[stop - 2]!, 0x01000193);
  const slot = (h ^ (h >>> 13)) & (KEY_SLOTS - 1);
  const base = slot * KEY_MAX;
  if (keyLen[slot] === n && sameBytes(view, start, keyView, base, n)) return keyKindOf[slot]!;
  const kind = indexedKeyKindBytes(buf, start, stop);
  keyBytes.set(buf.subarray(start, stop), base);
  keyLen[slot] = n;
  keyKindOf[slot] = kind;
  return kind;
}

const keyView = new DataView(keyBytes.buffer);
