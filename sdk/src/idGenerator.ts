// Trace and span ids from a pool of random hex, where OpenTelemetry's RandomIdGenerator does four Math.random()
// calls and a Buffer hex conversion per id (about a fifth of a span's cost). Random bytes come 64 KiB at a time
// (randomFillSync has a large fixed cost per call), hex 4,096 characters (256 span ids) at a time; ids are
// substrings of that hex string.
import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

const RANDOM_BYTES = 65536;
const CHUNK_BYTES = 2048;
const CHUNK_CHARS = CHUNK_BYTES * 2;
const INVALID_SPAN_ID = '0000000000000000';
const INVALID_TRACE_ID = '00000000000000000000000000000000';

export class PooledIdGenerator implements IdGenerator {
  private readonly bytes = Buffer.allocUnsafe(RANDOM_BYTES);
  private bytePosition = RANDOM_BYTES;
  private hex = '';
  private position = CHUNK_CHARS;

  private take(chars: number): string {
    if (this.position + chars > CHUNK_CHARS) {
      if (this.bytePosition + CHUNK_BYTES > RANDOM_BYTES) {
        randomFillSync(this.bytes);
        this.bytePosition = 0;
      }
      this.hex = this.bytes.toString('hex', this.bytePosition, this.bytePosition + CHUNK_BYTES);
      this.bytePosition += CHUNK_BYTES;
      this.position = 0;
    }
    const id = this.hex.substring(this.position, this.position + chars);
    this.position += chars;
    return id;
  }

  generateTraceId = (): string => {
    let id = this.take(32);
    // All zeros is the invalid id (W3C); with 128 random bits it does not happen, but never emit it.
    while (id === INVALID_TRACE_ID) id = this.take(32);
    return id;
  };

  generateSpanId = (): string => {
    let id = this.take(16);
    while (id === INVALID_SPAN_ID) id = this.take(16);
    return id;
  };
}
