// RowClasses (the cached classes in context behind TraceStore.classOf) against classOfRow, the computation it
// replaced, which makes fresh adapters for every call: same class for every row of the msgflux capture and of
// generated msgflux trees, explicit and flat (nesting inferred), while spans keep arriving and after eviction.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Span, SpanKind } from '../../../extension/src/core/model/span';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import type { SpanClass } from '../../../extension/src/core/semantics/spanClass';
import { classOfRow, type ClassTree } from '../../../extension/src/core/store/rowClassification';
import type { RowReader } from '../../../extension/src/core/store/rowReader';
import type { Run } from '../../../extension/src/core/store/run';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { MSGTRACE_SCOPE, hexId, makeSpan } from './spanFactory';
import { TEST_ORIGIN, storeParts } from './storeParts';

/** What the cached classes and the reference read of a store. */
interface Subject {
  runs(): readonly Run[];
  flatten(run: Run): { readonly rows: Int32Array };
  classOf(row: number): SpanClass;
  readonly reader: RowReader;
  readonly tree: ClassTree;
}

const ofParts = (p: ReturnType<typeof storeParts>): Subject => ({
  runs: () => p.runs.oldestFirst(),
  flatten: run => p.queries.flatten(run),
  classOf: row => p.queries.classOf(row),
  reader: p.reader,
  tree: { parentOf: row => p.forest.parentOf(row), childrenOf: row => p.forest.sortedChildrenOf(row) },
});

// The whole store, whose ingest moves the change version the cache is kept for.
const ofStore = (store: TraceStore): Subject => ({
  runs: () => store.runs(),
  flatten: run => store.flatten(run),
  classOf: row => store.classOf(row),
  reader: store.rows,
  tree: { parentOf: row => store.parentOf(row), childrenOf: row => store.children(row) },
});

/** Every row of every run: the cached class equals the reference, asked in a few orders (the cache is filled by the first). */
function assertSameClasses(s: Subject, what: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const run of s.runs()) {
    const { rows } = s.flatten(run);
    const order = [...rows, ...[...rows].reverse(), ...rows];
    for (const row of order) {
      const cls = s.classOf(row);
      assert.equal(cls, classOfRow(s.reader, s.tree, row), `${what}: ${s.reader.name(row)} (row ${row})`);
    }
    for (const row of rows) counts.set(s.classOf(row), (counts.get(s.classOf(row)) ?? 0) + 1);
  }
  return counts;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['Weather Agent', 'Weatheragent Tool Library', 'My Agent', 'Myagent Tool Library', 'Generator', 'scatter_gather', 'amap_gather', 'Get Capital', 'Planner', 'Tool Library'];

/** A msgflux-style tree of `count` spans: explicit parents in one trace, or every span its own trace (flat). */
function msgfluxTree(seed: number, count: number, flat: boolean, prefix: string): Span[] {
  const next = random(seed);
  const spans: Span[] = [];
  const make = (parent: string | undefined, depth: number, start: number, end: number) => {
    const id = `${prefix}${spans.length.toString(16)}`;
    const name = NAMES[Math.floor(next() * NAMES.length)]!;
    const type = next() < 0.15 ? undefined : depth === 0 || next() < 0.5 ? 'flow' : 'module';
    spans.push(
      makeSpan({
        traceId: flat ? id : prefix,
        spanId: id,
        parent: flat ? undefined : parent,
        name,
        kind: next() < 0.6 ? SpanKind.Server : SpanKind.Internal,
        scope: next() < 0.9 ? MSGTRACE_SCOPE : undefined,
        start,
        end,
        attrs: type === undefined ? {} : { 'span.type': type },
      }),
    );
    const kids = depth > 4 || spans.length >= count ? 0 : Math.floor(next() * 5);
    const slot = (end - start) / Math.max(1, kids);
    for (let k = 0; k < kids && spans.length < count; k++) make(id, depth + 1, start + k * slot + slot * 0.1, start + (k + 1) * slot - slot * 0.1);
  };
  let t = 0;
  while (spans.length < count) {
    make(undefined, 0, t, t + 1000);
    t += 2000;
  }
  return spans;
}

describe('core/store cached classes in context', () => {
  it('gives the classes of the msgflux capture exactly as the uncached computation', () => {
    const p = storeParts();
    p.ingest.fromColumns(decodeTraceRequest(readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb')), { columns: true }), TEST_ORIGIN, 0, Infinity, 0);
    const counts = assertSameClasses(ofParts(p), 'capture');
    assert.deepEqual([...counts.keys()].sort(), ['agent', 'flow', 'functional', 'generic', 'model', 'module', 'tool']);
  });

  it('gives the classes of generated trees exactly as the uncached computation, while spans arrive and leave', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      for (const flat of [false, true]) {
        const store = new TraceStore({ runGapMs: 1e9 });
        const s = ofStore(store);
        const spans = msgfluxTree(seed, 300, flat, `s${seed}`);
        // In batches, classes asked between them: every batch can change the neighbours of rows already cached.
        for (let i = 0; i < spans.length; i += 70) {
          store.ingestSpans(spans.slice(i, i + 70), TEST_ORIGIN);
          for (const cls of assertSameClasses(s, `seed ${seed}${flat ? ' flat' : ''} after ${i + 70}`).keys()) seen.add(cls);
        }
        // Retention evicts the oldest traces of the one run.
        store.setLimits({ maxSpans: 200, maxBytes: Infinity });
        assert.ok(store.runs()[0]!.spanCount < 200);
        assertSameClasses(s, `seed ${seed}${flat ? ' flat' : ''} after eviction`);
        store.dispose();
      }
    }
    // The generated trees reach every refinement the rules make of msgflux modules.
    for (const cls of ['agent', 'tool', 'flow', 'module']) assert.ok(seen.has(cls), cls);
  });

  it('refines a row again when a span that changes its neighbourhood arrives', () => {
    const store = new TraceStore();
    const flow = (id: string, name: string, start: number, end: number) =>
      makeSpan({ traceId: id, spanId: id, name, kind: SpanKind.Server, scope: MSGTRACE_SCOPE, start, end, attrs: { 'span.type': 'flow' } });
    store.ingestSpans([flow('a', 'Weather Agent', 0, 100)], TEST_ORIGIN);
    const agent = store.findRow(hexId('a', 32), hexId('a', 16));
    assert.equal(store.classOf(agent), 'flow');
    store.ingestSpans([flow('l', 'Weatheragent Tool Library', 10, 50)], TEST_ORIGIN);
    assert.equal(store.classOf(agent), 'agent');
    store.dispose();
  });
});
