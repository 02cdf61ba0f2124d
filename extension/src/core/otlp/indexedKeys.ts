// Byte-level test of "is this attribute key indexed?", so that the keys of attributes that stay encoded are
// never turned into strings at ingest.
import { INDEXED_ATTRIBUTE_KEYS, INDEXED_ATTRIBUTE_PREFIXES } from '../model/indexedAttributes';

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

export { isIndexedAttributeKey as isIndexedKeyString } from '../model/indexedAttributes';
