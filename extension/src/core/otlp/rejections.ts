// Counts rejected spans by reason and turns them into the English partial_success.error_message OTLP wants.

/** Why a span is rejected, in the words of partial_success.error_message; the same for every decoder. */
export const INVALID_TRACE_ID = 'an invalid trace_id (must be 16 bytes, not all zero)';
export const INVALID_SPAN_ID = 'an invalid span_id (must be 8 bytes, not all zero)';
export const INVALID_PARENT_ID = 'an invalid parent_span_id (must be 8 bytes or empty)';

/** The reason a span with these id checks is rejected, in the decoders' order; '' when it is accepted. */
export function idRejection(traceOk: boolean, spanOk: boolean, parentOk: boolean): string {
  return !traceOk ? INVALID_TRACE_ID : !spanOk ? INVALID_SPAN_ID : !parentOk ? INVALID_PARENT_ID : '';
}

export class RejectionTally {
  total = 0;
  private readonly byReason = new Map<string, number>();

  add(reason: string): void {
    this.total++;
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
  }

  /** e.g. "rejected 3 spans: 2 with an invalid trace_id (...), 1 with an invalid span_id (...)"; '' if none. */
  message(): string {
    if (this.total === 0) return '';
    const parts = [...this.byReason].map(([reason, n]) => `${n} with ${reason}`);
    return `rejected ${this.total} span${this.total === 1 ? '' : 's'}: ${parts.join(', ')}`;
  }
}
