// The binary WebSocket frame of `msgtrace serve` (extension/src/cli/serveCommand.ts encodeFrame): uint32 JSON
// byte length, uint32 buffer count, uint32 byte length of each buffer, the JSON with each buffer replaced by
// {"$binary": index}, then the buffers at multiples of 8 bytes. Buffers come back as Uint8Array views of the
// frame, so the packed rows are read in place. Only an object whose one key is `$binary` with an index in range
// becomes a buffer: span text is always a JSON string and cannot.

const pad8 = (x: number) => Math.ceil(x / 8) * 8;

/** The message of a binary frame. Throws on a malformed frame. */
export function decodeFrame(frame: ArrayBuffer): unknown {
  const head = new DataView(frame);
  const textLength = head.getUint32(0, true);
  const count = head.getUint32(4, true);
  const textAt = 8 + 4 * count;
  if (textAt + textLength > frame.byteLength) throw new Error('truncated frame');
  const views: Uint8Array[] = [];
  let at = pad8(textAt + textLength);
  for (let i = 0; i < count; i++) {
    const length = head.getUint32(8 + 4 * i, true);
    if (at + length > frame.byteLength) throw new Error('truncated frame');
    views.push(new Uint8Array(frame, at, length));
    at += pad8(length);
  }
  const json = new TextDecoder().decode(new Uint8Array(frame, textAt, textLength));
  return JSON.parse(json, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const index = (value as { $binary?: unknown }).$binary;
      if (typeof index === 'number' && Object.keys(value).length === 1 && views[index]) return views[index];
    }
    return value;
  }) as unknown;
}
