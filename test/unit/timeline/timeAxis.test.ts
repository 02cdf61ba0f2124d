import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { clampWindow, fitWindow, formatDuration, formatTick, panBy, ticks, timeToX, xToTime, zoomAround } from '../../../webview/src/timeline/timeAxis';

describe('timeline time axis', () => {
  const bounds = fitWindow(0, 1000);

  it('fits the run with 2% air on each side', () => {
    assert.deepEqual(fitWindow(100, 200), { start: 98, end: 202 });
  });

  it('zooming keeps the anchor time under the same pixel', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (anchor, factor) => {
        const win = bounds;
        const next = zoomAround(win, anchor, factor, bounds);
        const before = timeToX(anchor, win, 800);
        const after = timeToX(anchor, next, 800);
        assert.ok(Math.abs(before - after) < 1e-6, `${before} vs ${after}`);
        assert.ok(next.end - next.start < win.end - win.start);
      }),
    );
  });

  it('never zooms out past the run nor in below a microsecond', () => {
    const out = zoomAround({ start: 0, end: 500 }, 250, 100, bounds);
    assert.deepEqual(out, bounds);
    const inn = zoomAround(bounds, 10, 1e-12, bounds);
    assert.ok(Math.abs(inn.end - inn.start - 0.001) < 1e-12);
  });

  it('pans within the bounds', () => {
    const win = { start: 100, end: 200 };
    assert.deepEqual(panBy(win, 50, bounds), { start: 150, end: 250 });
    assert.deepEqual(panBy(win, -1e6, bounds), { start: bounds.start, end: bounds.start + 100 });
    assert.deepEqual(panBy(win, 1e6, bounds), { start: bounds.end - 100, end: bounds.end });
    assert.deepEqual(clampWindow({ start: -5000, end: 5000 }, bounds), { start: bounds.start, end: bounds.start + 10000 });
  });

  it('maps x to time and back', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1200, noNaN: true }), x => {
        const t = xToTime(x, { start: 10, end: 20 }, 1200);
        assert.ok(Math.abs(timeToX(t, { start: 10, end: 20 }, 1200) - x) < 1e-6);
      }),
    );
  });

  it('puts ticks on 1-2-5 steps at least the minimum distance apart, inside the window', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e7, noNaN: true }), fc.integer({ min: 100, max: 3000 }), (start, span, width) => {
        const win = { start, end: start + span };
        const { step, values } = ticks(win, width, 90);
        const mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        assert.ok([1, 2, 5, 10].some(m => Math.abs(mantissa - m) < 1e-6), `step ${step}`);
        assert.ok((step / span) * width >= 90 - 1e-6);
        for (const v of values) assert.ok(v >= win.start && v <= win.end, `tick ${v} outside [${win.start}, ${win.end}]`);
        assert.ok(values.length >= 1 || (step / span) * width > width / 2);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps ticks inside a tiny window far from zero (floating point at 1e6 ms and 1 ns wide)', () => {
    const win = { start: 999999.9999999993, end: 999999.9999999993 + 0.001 };
    const { values } = ticks(win, 901, 90);
    for (const v of values) assert.ok(v >= win.start && v <= win.end, `tick ${v}`);
  });

  it('formats durations in the unit a person reads', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(0.00085), '850 ns');
    assert.equal(formatDuration(0.0125), '12.5 µs');
    assert.equal(formatDuration(3.2), '3.2 ms');
    assert.equal(formatDuration(812.4), '812 ms');
    assert.equal(formatDuration(1500), '1.5 s');
    assert.equal(formatDuration(125_000), '2m 05s');
    assert.equal(formatDuration(3_725_000), '1h 02m');
  });

  it('labels ticks with the step unit', () => {
    assert.equal(formatTick(0, 100), '0');
    assert.equal(formatTick(500, 100), '500 ms');
    assert.equal(formatTick(2000, 1000), '2 s');
    assert.equal(formatTick(0.25, 0.05), '250 µs');
    assert.equal(formatTick(1.5, 0.5), '1500 µs');
  });
});
