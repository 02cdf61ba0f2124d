import * as assert from 'node:assert/strict';
import { hrTime } from '@opentelemetry/core';
import { now } from '../../../sdk/src/clock';
import { PooledIdGenerator } from '../../../sdk/src/idGenerator';

describe('sdk/internals (fast paths)', () => {
  it('generates valid, distinct trace and span ids across many pool refills', () => {
    const ids = new PooledIdGenerator();
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const t = ids.generateTraceId();
      const s = ids.generateSpanId();
      assert.match(t, /^[0-9a-f]{32}$/);
      assert.match(s, /^[0-9a-f]{16}$/);
      assert.notEqual(t, '0'.repeat(32));
      assert.notEqual(s, '0'.repeat(16));
      traces.add(t);
      spans.add(s);
    }
    assert.equal(traces.size, 5000);
    assert.equal(spans.size, 5000);
  });

  it('reads the same clock as OpenTelemetry hrTime(), in [seconds, nanoseconds], never going backwards', () => {
    const toNanos = (t: readonly [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
    const before = toNanos(hrTime());
    let previous = toNanos(now());
    for (let i = 0; i < 10_000; i++) {
      const t = now();
      assert.ok(Number.isInteger(t[0]) && Number.isInteger(t[1]) && t[1] >= 0 && t[1] < 1e9);
      const n = toNanos(t);
      assert.ok(n >= previous, 'monotonic');
      previous = n;
    }
    const after = toNanos(hrTime());
    // Both are timeOrigin + performance.now(); allow a microsecond for the rounding of each.
    assert.ok(previous >= before - 1000n && previous <= after + 1000n);
  });
});
