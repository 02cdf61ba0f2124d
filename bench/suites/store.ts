// Trace store: ingest rate (spans/s, including the flush that infers nesting) for flat msgflux-like traffic
// and nested generic traces, side by side with the protobuf decode of the same requests; the rate with a
// large store already full; heap per stored span against its protobuf size; and the queries the views run on
// a 100k-span run (first tree build, timeline flatten, a page of 200 top-level traces, token usage).
import { PerformanceObserver } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { SpanBatch } from '../../extension/src/core/model/batch';
import { decodeTraceRequest } from '../../extension/src/core/otlp/protobufDecoder';
import { ManualScheduler } from '../../extension/src/core/store/scheduler';
import { TraceStore } from '../../extension/src/core/store/traceStore';
import { ExportTraceServiceRequest } from '../../test/fixtures/otlpSchema';
import { type BenchRow, type BenchSuite, interleaved, median } from '../harness';

const BATCH = 512; // the Python BatchSpanProcessor's export size
const T0 = 1795493440000000000n;

interface SpanSpec {
  trace: number;
  span: number;
  parent?: number;
  name: string;
  kind: number;
  startUs: number;
  endUs: number;
  attrs: Record<string, string | number>;
}

const hex = (n: number, len: number) => (n + 1).toString(16).padStart(len, '0');

/** Requests of `BATCH` spans each, protobuf-encoded, spans in end-time order as the BatchSpanProcessor sends. */
export function encode(specs: SpanSpec[], scopeName: string): Uint8Array[] {
  specs.sort((a, b) => a.endUs - b.endUs);
  const out: Uint8Array[] = [];
  for (let i = 0; i < specs.length; i += BATCH) {
    const spans = specs.slice(i, i + BATCH).map(s => ({
      traceId: Buffer.from(hex(s.trace, 32), 'hex'),
      spanId: Buffer.from(hex(s.span, 16), 'hex'),
      parentSpanId: s.parent === undefined ? undefined : Buffer.from(hex(s.parent, 16), 'hex'),
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: (T0 + BigInt(s.startUs) * 1000n).toString(),
      endTimeUnixNano: (T0 + BigInt(s.endUs) * 1000n).toString(),
      attributes: Object.entries(s.attrs).map(([key, v]) => ({ key, value: typeof v === 'string' ? { stringValue: v } : { intValue: v } })),
      status: { code: 1 },
      flags: 256,
    }));
    const req = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'msgtrace-app' } }, { key: 'python.version', value: { stringValue: '3.11.2' } }] },
          scopeSpans: [{ scope: { name: scopeName, version: '0.1.0' }, spans }],
        },
      ],
    };
    out.push(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(req)).finish());
  }
  return out;
}

/**
 * Today's msgflux: every module call its own trace, no parents. Agent calls one after another, each with a
 * model turn, a tool library ⊃ scatter_gather ⊃ tools, and a second model turn (docs/msgflux-wire.md#agent-example): 8 spans a call.
 */
export function flatMsgflux(n: number): SpanSpec[] {
  const specs: SpanSpec[] = [];
  let id = 0;
  let t = 0;
  const flow = (name: string, startUs: number, endUs: number, kind = 2): SpanSpec => ({ trace: id, span: id++, name, kind, startUs, endUs, attrs: kind === 2 ? { 'span.type': 'flow' } : {} });
  while (specs.length < n) {
    specs.push(flow('My Agent', t, t + 100));
    specs.push(flow('Generator', t + 5, t + 30));
    specs.push(flow('Myagent Tool Library', t + 31, t + 70));
    specs.push(flow('scatter_gather', t + 32, t + 69, 1));
    specs.push(flow('Get Capital', t + 33, t + 50));
    specs.push(flow('Get Weather', t + 51, t + 68));
    specs.push(flow('Generator', t + 71, t + 95));
    specs.push(flow('map_gather', t + 101, t + 110, 1));
    t += 120;
  }
  return specs.slice(0, n);
}

/** Generic OTel traffic: traces of 50 spans, a root with 7 children of 6 grandchildren, real parents. */
function nestedGeneric(n: number): SpanSpec[] {
  const specs: SpanSpec[] = [];
  let id = 0;
  let trace = 0;
  let t = 0;
  while (specs.length < n) {
    const root = id++;
    specs.push({ trace, span: root, name: 'POST /chat', kind: 2, startUs: t, endUs: t + 1000, attrs: { 'http.request.method': 'POST' } });
    for (let c = 0; c < 7; c++) {
      const child = id++;
      specs.push({ trace, span: child, parent: root, name: 'chat gpt-4o', kind: 3, startUs: t + c * 140, endUs: t + c * 140 + 130, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 100 } });
      for (let g = 0; g < 6; g++) {
        specs.push({ trace, span: id++, parent: child, name: 'execute_tool search', kind: 1, startUs: t + c * 140 + g * 20 + 1, endUs: t + c * 140 + g * 20 + 19, attrs: { 'gen_ai.tool.name': 'search' } });
      }
    }
    trace++;
    t += 1100;
  }
  return specs.slice(0, n);
}

// Time spent in garbage collection since start, from the gc performance entries.
let gcTotal = 0;
new PerformanceObserver(list => {
  for (const e of list.getEntries()) gcTotal += e.duration;
}).observe({ entryTypes: ['gc'] });
const gcMillis = () => gcTotal;

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function ingestAll(store: TraceStore, batches: readonly SpanBatch[]): void {
  for (const b of batches) store.ingest(b, { transport: 'http' });
  store.flush();
}

const newStore = () => new TraceStore({ scheduler: new ManualScheduler(), retention: { maxSpans: Infinity, maxBytes: Infinity } });

export const storeSuite: BenchSuite = {
  name: 'store',
  async run({ runs, quick }) {
    const n = quick ? 20_000 : 100_000;
    const rows: BenchRow[] = [];
    const flatBodies = encode(flatMsgflux(n), 'msgtrace.sdk');
    const nestedBodies = encode(nestedGeneric(n), 'opentelemetry.instrumentation');
    // As the receiver decodes: into columns over the request bytes, no Span objects.
    const decode = (b: Uint8Array) => decodeTraceRequest(b, { columns: true });
    const flatBatches = flatBodies.map(decode);
    const nestedBatches = nestedBodies.map(decode);
    const pbBytesPerSpan = flatBodies.reduce((a, b) => a + b.length, 0) / n;

    const rate = (fn: () => void) => () => {
      const t0 = performance.now();
      fn();
      return n / ((performance.now() - t0) / 1000);
    };
    const r = await interleaved(runs, {
      decodeFlat: rate(() => flatBodies.forEach(decode)),
      ingestFlat: rate(() => ingestAll(newStore(), flatBatches)),
      ingestNested: rate(() => ingestAll(newStore(), nestedBatches)),
    });
    const k = `${n / 1000}k`;
    const decodeName = `store / protobuf decode of the same ${k} flat spans into columns (receiver)`;
    rows.push({ name: decodeName, median: median(r.decodeFlat!), unit: 'spans/s', runs, better: 'higher' });
    rows.push({ name: `store / ingest ${k} flat msgflux spans (nesting inferred)`, median: median(r.ingestFlat!), unit: 'spans/s', runs, better: 'higher', baseline: decodeName });
    rows.push({ name: `store / ingest ${k} nested generic spans (real parents)`, median: median(r.ingestNested!), unit: 'spans/s', runs, better: 'higher', baseline: decodeName });

    // Memory: what the store holds per span, JS heap plus the typed arrays' buffers (outside the JS heap, so
    // heapUsed alone would miss them). Requests are decoded and ingested one at a time and not kept, as the
    // receiver does.
    {
      // Array buffers are freed by a background sweeper: settle it before each reading.
      const settle = async () => {
        for (let i = 0; i < 3; i++) {
          gc();
          await new Promise(resolve => setTimeout(resolve, 50));
        }
      };
      await settle();
      const m0 = process.memoryUsage();
      const store = newStore();
      for (const b of flatBodies) store.ingest(decode(b), { transport: 'http' });
      store.flush();
      await settle();
      const m1 = process.memoryUsage();
      const heap = (m1.heapUsed - m0.heapUsed) / n;
      const buffers = (m1.arrayBuffers - m0.arrayBuffers) / n;
      const total = heap + buffers;
      rows.push({
        name: `store / memory per stored flat span, total (protobuf ${pbBytesPerSpan.toFixed(0)} B/span)`,
        median: total,
        unit: 'B/span',
        runs: 1,
        better: 'lower',
        note: `${(total / pbBytesPerSpan).toFixed(2)}x protobuf (target <= 1.5x): JS heap ${heap.toFixed(0)} B + array buffers ${buffers.toFixed(0)} B; retention estimate ${(store.stats.bytes / n).toFixed(0)} B`,
      });
      if (store.stats.spans !== n) throw new Error('store lost spans');
    }

    // Queries on one 100k-span run.
    const timed = (fn: () => void) => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
    const q = await interleaved(runs, {
      firstTree: () => {
        const store = newStore();
        for (const b of flatBatches) store.ingest(b, { transport: 'http' });
        const run = store.runs()[0]!;
        // The first query infers nesting and sorts: the cost of building the run tree (as the timeline asks).
        return timed(() => store.flatten(run));
      },
      flatten: () => {
        const store = newStore();
        ingestAll(store, flatBatches);
        const run = store.runs()[0]!;
        store.flatten(run);
        return timed(() => store.flatten(run));
      },
      page: () => {
        const store = newStore();
        ingestAll(store, nestedBatches);
        const run = store.runs()[0]!;
        return timed(() => {
          store.childCount(run);
          store.children(run, Math.floor(store.childCount(run) / 2), 200);
        });
      },
      usage: () => {
        const store = newStore();
        ingestAll(store, nestedBatches);
        const run = store.runs()[0]!;
        return timed(() => store.subtreeUsage(run));
      },
    });
    rows.push({ name: `store / build the tree of a ${k}-span flat run (infer + sort + flatten)`, median: median(q.firstTree!), unit: 'ms', runs, better: 'lower' });
    rows.push({ name: `store / timeline flatten of a ${k}-span run`, median: median(q.flatten!), unit: 'ms', runs, better: 'lower' });
    rows.push({ name: `store / tree page of 200 among ${n / 50} top-level traces (first sort)`, median: median(q.page!), unit: 'ms', runs, better: 'lower' });
    rows.push({ name: `store / token usage summed over a ${k}-span run`, median: median(q.usage!), unit: 'ms', runs, better: 'lower' });

    if (!quick) {
      // The target: ingest rate while 1M spans are kept.
      const fillBodies = encode(flatMsgflux(1_000_000), 'msgtrace.sdk');
      const store = newStore();
      for (const b of fillBodies) store.ingest(decode(b), { transport: 'http' });
      store.flush();
      // Five more batches of 100k, one after another (1.0M to 1.5M stored): the median of their rates.
      const rounds = 5;
      const extra = encode(
        flatMsgflux(1_000_000 + rounds * 100_000)
          .slice(1_000_000)
          .map(s => ({ ...s, trace: s.trace + 2_000_000, span: s.span + 2_000_000 })),
        'msgtrace.sdk',
      ).map(decode);
      const perRound = extra.length / rounds;
      const rates: number[] = [];
      // gc entries are delivered asynchronously: let those of the fill arrive before counting.
      await new Promise(resolve => setTimeout(resolve, 200));
      const gc0 = gcMillis();
      let total = 0;
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        ingestAll(store, extra.slice(r * perRound, (r + 1) * perRound));
        const elapsed = performance.now() - t0;
        total += elapsed;
        rates.push(100_000 / (elapsed / 1000));
      }
      await new Promise(resolve => setTimeout(resolve, 200));
      const gcShare = (gcMillis() - gc0) / total;
      rows.push({
        name: 'store / ingest 100k flat spans with 1M already stored',
        median: median(rates),
        unit: 'spans/s',
        runs: rounds,
        better: 'higher',
        note: `target >= 500k; ${rounds} batches of 100k from 1.0M to ${(store.stats.spans / 1e6).toFixed(1)}M stored; ${(gcShare * 100).toFixed(0)} % of the time in GC`,
      });
    }
    return rows;
  },
};
