// The one error type the OTLP decoders throw for bad input. Transports map it to HTTP 400 / gRPC
// INVALID_ARGUMENT; anything else escaping a decoder is a bug.

export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  /** Byte offset in the body (protobuf) where decoding failed, or -1 (JSON). */
  readonly offset: number;

  constructor(message: string, offset = -1) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
    this.offset = offset;
  }
}

/** Limits that keep hostile input from using unbounded stack or time. */
export interface DecodeLimits {
  /** Deepest nesting of AnyValue arrays/kvlists (and protobuf groups) accepted; deeper input is rejected. */
  readonly maxValueDepth: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxValueDepth: 32 };
