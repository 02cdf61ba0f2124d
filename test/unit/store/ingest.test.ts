import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { nanosSubMs, nanosToMs } from '../../../extension/src/core/otlp/protoReader';
import { splitMs, splitNanos, splitSub } from '../../../extension/src/core/store/ingest';
import { ROW_BYTES, W_FLAGS, F_INFERABLE } from '../../../extension/src/core/store/spanTable';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { MSGTRACE_SCOPE, hexId, makeSpan } from './spanFactory';
import { TEST_ORIGIN, storeParts } from './storeParts';

const FIXTURE = () => readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb'));

describe('core/store ingest (the row writer)', () => {
  it('writes the same rows from request columns as from Span objects', () => {
    const viaSpans = storeParts();
    viaSpans.add(decodeTraceRequest(FIXTURE()).spans);
    const viaColumns = storeParts();
    const batch = decodeTraceRequest(FIXTURE(), { columns: true });
    assert.deepEqual(viaColumns.ingest.fromColumns(batch, TEST_ORIGIN, 0, Infinity, 0), { accepted: 28, duplicates: 0 });
    assert.equal(viaColumns.table.size, viaSpans.table.size);
    for (let row = 0; row < viaSpans.table.size; row++) {
      // Rows are in arrival order in both, so row numbers match: every word but the rest bytes' position.
      assert.equal(viaColumns.reader.facts(row), viaSpans.reader.facts(row));
      assert.equal(viaColumns.table.get(row, W_FLAGS), viaSpans.table.get(row, W_FLAGS));
      assert.deepEqual(viaColumns.reader.span(row), viaSpans.reader.span(row));
    }
    assert.deepEqual(viaColumns.totals, viaSpans.totals);
  });

  it('adds a slice [from, to) of a batch, and counts retries as duplicates', () => {
    const p = storeParts();
    const batch = decodeTraceRequest(FIXTURE(), { columns: true });
    assert.deepEqual(p.ingest.fromColumns(batch, TEST_ORIGIN, 0, 10, 0), { accepted: 10, duplicates: 0 });
    assert.deepEqual(p.ingest.fromColumns(batch, TEST_ORIGIN, 5, 40, 0), { accepted: 18, duplicates: 5 });
    assert.equal(p.totals.spans, 28);
  });

  it('links a child under a placeholder for a parent not yet arrived, and fills it in place', () => {
    const p = storeParts();
    p.add([makeSpan({ traceId: 't', spanId: 'c', parent: 'p', start: 5, end: 6 })]);
    const parent = p.reader.find(hexId('t', 32), hexId('p', 16));
    const child = p.reader.find(hexId('t', 32), hexId('c', 16));
    assert.ok(p.reader.facts(parent) & SpanFacts.placeholder);
    assert.equal(p.forest.parentOf(child), parent);
    assert.equal(p.totals.placeholders, 1);
    assert.equal(p.totals.spans, 1);
    assert.equal(p.reader.ms(parent), p.reader.ms(child), 'a placeholder starts where its first child starts');
    p.add([makeSpan({ traceId: 't', spanId: 'p', name: 'parent', start: 0, end: 10 })]);
    assert.equal(p.reader.find(hexId('t', 32), hexId('p', 16)), parent, 'the same row');
    assert.equal(p.reader.name(parent), 'parent');
    assert.equal(p.reader.facts(parent) & SpanFacts.placeholder, 0);
    assert.equal(p.totals.placeholders, 0);
    assert.equal(p.totals.spans, 2);
    assert.equal(p.runs.oldestFirst()[0]!.placeholderCount, 0);
  });

  it('counts bytes, errors and time bounds per run, and tells once per call which runs received', () => {
    const p = storeParts(10);
    p.add(
      [
        makeSpan({ traceId: 'a', spanId: '1', start: 0, end: 10, status: 2 }),
        makeSpan({ traceId: 'a', spanId: '2', parent: '1', start: 1, end: 2 }),
        makeSpan({ traceId: 'b', spanId: '3', start: 100_000, end: 100_001 }),
      ],
      42,
    );
    const [first, second] = p.runs.oldestFirst();
    assert.deepEqual(p.received, [first, second]);
    assert.equal(first!.spanCount, 2);
    assert.equal(first!.errorCount, 1);
    assert.equal(first!.lastReceivedAt, 42);
    assert.equal(first!.endMs - first!.startMs, 10);
    assert.ok(first!.bytes >= 2 * ROW_BYTES);
    assert.equal(p.totals.bytes, first!.bytes + second!.bytes);
  });

  it('marks top-level spans of the msgtrace SDK inferable, and leaves their nesting to the next read', () => {
    const p = storeParts();
    p.add([
      makeSpan({ traceId: 'o', spanId: 'o', scope: MSGTRACE_SCOPE, start: 0, end: 10 }),
      makeSpan({ traceId: 'i', spanId: 'i', scope: MSGTRACE_SCOPE, start: 1, end: 2 }),
      makeSpan({ traceId: 'g', spanId: 'g', start: 1, end: 2 }),
    ]);
    const [outer, inner, generic] = [0, 1, 2];
    assert.ok(p.table.get(outer, W_FLAGS) & F_INFERABLE);
    assert.equal(p.table.get(generic, W_FLAGS) & F_INFERABLE, 0);
    assert.equal(p.forest.parentOf(inner), -1, 'not nested yet');
    p.nesting.ensureAll();
    assert.equal(p.forest.parentOf(inner), outer);
    assert.equal(p.forest.parentOf(generic), -1);
  });

  it('splits nanosecond words into ms and ns within as nanosToMs and nanosSubMs do, over the whole uint64 range', () => {
    const check = (lo: number, hi: number) => {
      splitNanos(lo, hi);
      assert.equal(splitMs, nanosToMs(lo, hi), `ms of ${hi}:${lo}`);
      assert.equal(splitSub, nanosSubMs(lo, hi), `ns of ${hi}:${lo}`);
    };
    const word = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(fc.property(word, word, check), { numRuns: 2000 });
    for (const hi of [0, 1, 0x1000, 418_047_000, 0x7fffffff, 0xffffffff])
      for (const lo of [0, 1, 999_999, 1_000_000, 1_000_001, 32_704, 32_703, 0x7fffffff, 0xfffffffe, 0xffffffff]) check(lo, hi);
    // Every ms boundary near a high word's start: x = hi * 967296 + lo crosses multiples of 1e6.
    for (let hi = 0; hi < 64; hi++) for (let k = 0; k < 5; k++) for (const d of [-1, 0, 1]) check(Math.max(0, ((k * 1_000_000 - hi * 967296) % 1_000_000 + 1_000_000) % 1_000_000 + d), hi);
  });

  it('finds a trace, its run and a parent from the span before only within one call (rows may leave between calls)', () => {
    const p = storeParts(10);
    p.add([makeSpan({ traceId: 't', spanId: 'a', start: 0 }), makeSpan({ traceId: 't', spanId: 'b', parent: 'a', start: 1 }), makeSpan({ traceId: 't', spanId: 'c', parent: 'a', start: 2 })]);
    const first = p.runs.oldestFirst()[0]!;
    assert.equal(first.spanCount, 3);
    p.eviction.dropRun(first, false);
    // The same trace and parent again: a new run, a new placeholder for the parent, no row of the dropped run.
    p.add([makeSpan({ traceId: 't', spanId: 'd', parent: 'a', start: 100_000 })]);
    const [again] = p.runs.oldestFirst();
    assert.notEqual(again, first);
    const d = p.reader.find(hexId('t', 32), hexId('d', 16));
    const a = p.reader.find(hexId('t', 32), hexId('a', 16));
    assert.equal(p.forest.parentOf(d), a);
    assert.ok(p.reader.facts(a) & SpanFacts.placeholder);
    assert.ok(a > 2 && d > 2, 'new rows');
    assert.equal(again!.spanCount, 1);
    assert.equal(again!.placeholderCount, 1);
  });

  it('tells a new trace from the one before it, and fills a placeholder in the run of its trace', () => {
    const p = storeParts(10);
    const result = p.add([
      makeSpan({ traceId: 'x', spanId: 'c', parent: 'p', start: 0 }),
      makeSpan({ traceId: 'y', spanId: 'c', parent: 'p', start: 100_000 }),
      makeSpan({ traceId: 'x', spanId: 'p', start: 0, end: 5 }),
      makeSpan({ traceId: 'y', spanId: 'p', start: 100_000, end: 100_005 }),
      makeSpan({ traceId: 'y', spanId: 'p', start: 100_000, end: 100_005 }),
    ]);
    const [rx, ry] = p.runs.oldestFirst();
    assert.deepEqual([rx!.spanCount, rx!.placeholderCount, ry!.spanCount, ry!.placeholderCount], [2, 0, 2, 0]);
    for (const trace of ['x', 'y']) {
      const c = p.reader.find(hexId(trace, 32), hexId('c', 16));
      assert.equal(p.reader.name(p.forest.parentOf(c)), 'p');
    }
    assert.deepEqual(result, { accepted: 4, duplicates: 1 });
  });
});
