// One monotonic clock for every time the SDK gives OpenTelemetry (span start and end, exception events), as HrTime.
// The same arithmetic as @opentelemetry/core's hrTime() (timeOrigin + performance.now(), split into seconds and
// nanoseconds so no precision is lost), with the origin split once instead of on every call: one array per reading.
import type { HrTime } from '@opentelemetry/api';

const perf = globalThis.performance;
const ORIGIN = perf.timeOrigin;
const ORIGIN_SECONDS = Math.trunc(ORIGIN / 1000);
const ORIGIN_NANOS = Math.round((ORIGIN % 1000) * 1e6);

/** Now, as [epoch seconds, nanoseconds]; never goes backwards. */
export function now(): HrTime {
  const ms = perf.now();
  const seconds = Math.trunc(ms / 1000);
  let nanos = ORIGIN_NANOS + Math.round((ms % 1000) * 1e6);
  let s = ORIGIN_SECONDS + seconds;
  if (nanos >= 1e9) {
    nanos -= 1e9;
    s++;
  }
  return [s, nanos];
}
