// Trace ids as people paste them and as backends write them: OTLP's 32 lowercase hex characters, Jaeger's 64-bit
// ids (16 hex characters, a 128-bit id's high half left out when zero), and ids whose leading zeros were dropped
// (Jaeger v1, Tempo search).

const HEX = /^[0-9a-f]+$/;

/** An id typed by a person: 32 hex characters, or 16 (a 64-bit id, left-padded); undefined when it is neither. */
export function parseTraceIdInput(input: string): string | undefined {
  const id = input.trim().toLowerCase();
  if ((id.length !== 32 && id.length !== 16) || !HEX.test(id)) return undefined;
  const padded = id.padStart(32, '0');
  return /^0+$/.test(padded) ? undefined : padded;
}

/** An id a backend wrote: 1..32 hex characters, left-padded to 32; undefined when it is not hex or all zeros. */
export function normalizeTraceId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const hex = id.trim().toLowerCase();
  if (hex.length === 0 || hex.length > 32 || !HEX.test(hex)) return undefined;
  const padded = hex.padStart(32, '0');
  return /^0+$/.test(padded) ? undefined : padded;
}

/** A span id a backend wrote: 1..16 hex characters, left-padded to 16. */
export function normalizeSpanId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const hex = id.trim().toLowerCase();
  if (hex.length === 0 || hex.length > 16 || !HEX.test(hex)) return undefined;
  const padded = hex.padStart(16, '0');
  return /^0+$/.test(padded) ? undefined : padded;
}
