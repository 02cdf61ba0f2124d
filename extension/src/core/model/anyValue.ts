// OTLP attribute values as plain data, the same whether they came from protobuf or JSON.
// int64 values are bigint so that intValue and doubleValue stay distinct and large integers stay exact.

/** A list of key/value pairs (OTLP `kvlistValue`): a list, not a record, because OTLP allows duplicate keys. */
export interface KeyValueList {
  readonly kvlist: readonly KeyValue[];
}

/**
 * An OTLP `AnyValue`:
 * string = stringValue, boolean = boolValue, bigint = intValue (int64), number = doubleValue,
 * Uint8Array = bytesValue, array = arrayValue, KeyValueList = kvlistValue, null = the empty AnyValue `{}`.
 */
export type AnyValue = string | boolean | bigint | number | Uint8Array | readonly AnyValue[] | KeyValueList | null;

/** One attribute. */
export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

export function isKeyValueList(v: AnyValue): v is KeyValueList {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** The value of the first attribute named `key`, or undefined when there is none. */
export function findAttribute(attributes: readonly KeyValue[], key: string): AnyValue | undefined {
  for (const kv of attributes) if (kv.key === key) return kv.value;
  return undefined;
}

/** A short human-readable rendering for views: strings as they are, containers as JSON-like text. */
export function formatAnyValue(v: AnyValue): string {
  if (typeof v === 'string') return v;
  return formatNested(v);
}

function formatNested(v: AnyValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (v instanceof Uint8Array) return `0x${bytesToHex(v, 0, v.length)}`;
  if (Array.isArray(v)) return `[${(v as readonly AnyValue[]).map(formatNested).join(', ')}]`;
  return `{${(v as KeyValueList).kvlist.map(kv => `${JSON.stringify(kv.key)}: ${formatNested(kv.value)}`).join(', ')}}`;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of bytes[start, end). */
export function bytesToHex(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[bytes[i]!];
  return s;
}
