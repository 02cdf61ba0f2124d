// The largest bodies the limits admit, one per fresh process: what a 64 MiB body costs `record` next to
// `serve` (issue 18 item 1), and the longest event-loop stall of `serve` (the extension's ingest path) for each
// transport and pathological shape against the 50 ms target (item 2).
import * as zlib from 'node:zlib';
import { AnyValueField, ArrayValueField, KeyValueField } from '../../extension/src/core/otlp/otlpFields';
import type { ProtoWriter } from '../../extension/src/core/otlp/protoWriter';
import { largestRequest, msgfluxJsonRequest, oneSpanRequest, spanIds } from '../unit/receiver/msgfluxBodies';
import { type BigBodyResult, type BigBodyTransport, measureBigBody } from './bigBody';
import { type StressRow, held, mb, ms } from './table';

const MiB = 1024 * 1024;
const TARGET_MS = 50;

const describe = (r: BigBodyResult) =>
  `${(r.bodyBytes / MiB).toFixed(1)} MiB: answered ${r.status} after ${ms(r.answerMs)}, done after ${ms(r.doneMs)}, longest stall ${ms(r.maxStallMs)}, peak RSS ${mb(r.peakRssMB)}`;

/** The largest JSON request of msgflux-like spans under the limit. */
function largestJson(): Buffer {
  const per = msgfluxJsonRequest(2).length - msgfluxJsonRequest(1).length;
  return msgfluxJsonRequest(Math.floor((64 * MiB - MiB / 2) / per));
}

function stringAttribute(w: ProtoWriter, key: string, value: string): void {
  w.string(KeyValueField.key, key);
  const v = w.begin(KeyValueField.value);
  w.string(AnyValueField.stringValue, value);
  w.end(v);
}

/** A JSON span with `count` attributes (what the issue measured: 1M). */
function manyAttributesJson(count: number): Buffer {
  const { traceId, spanId } = spanIds(3);
  const attrs = Array.from({ length: count }, (_, i) => `{"key":"k${i}","value":{"intValue":"${i}"}}`).join(',');
  return Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${traceId.toString('hex')}","spanId":"${spanId.toString('hex')}","name":"many","attributes":[${attrs}]}]}]}]}`);
}

/** Values nested as deep as the limit (32), many times over. */
function deepNesting(bytes: number): Buffer {
  return oneSpanRequest(bytes, (w, i) => {
    w.string(KeyValueField.key, `deep${i}`);
    const marks: number[] = [w.begin(KeyValueField.value)];
    for (let d = 0; d < 31; d++) {
      marks.push(w.begin(AnyValueField.arrayValue));
      marks.push(w.begin(ArrayValueField.values));
    }
    w.uint32(AnyValueField.intValue, i);
    for (let m = marks.length - 1; m >= 0; m--) w.end(marks[m]!);
  });
}

/** Each figure's median over the runs (the status of the first). */
function medianOf(results: readonly BigBodyResult[]): BigBodyResult {
  const mid = (pick: (r: BigBodyResult) => number) => [...results.map(pick)].sort((a, b) => a - b)[results.length >> 1]!;
  return {
    ...results[0]!,
    answerMs: mid(r => r.answerMs),
    doneMs: mid(r => r.doneMs),
    maxStallMs: mid(r => r.maxStallMs),
    peakRssMB: mid(r => r.peakRssMB),
  };
}

interface Shape {
  readonly name: string;
  readonly transport: BigBodyTransport;
  readonly body: () => Buffer;
  readonly gzip?: boolean;
}

export async function stallRows(): Promise<StressRow[]> {
  const rows: StressRow[] = [];
  const { body: pb } = largestRequest();


  // Item 1: the same 64 MiB body into record and into serve, three times each, interleaved: one run of each
  // on a shared machine differed by more than the margin between them.
  for (const transport of ['http protobuf', 'grpc'] as const) {
    const runs: { record: BigBodyResult; serve: BigBodyResult }[] = [];
    for (let i = 0; i < 3; i++) runs.push({ record: await measureBigBody('record', transport, pb), serve: await measureBigBody('serve', transport, pb) });
    const record = medianOf(runs.map(r => r.record));
    const serve = medianOf(runs.map(r => r.serve));
    // "No more than serve": answer, stall and memory within a margin for the machine's noise.
    const ok = runs.every(r => r.record.status === 200) && record.answerMs <= serve.answerMs * 1.25 + 200 && record.maxStallMs <= serve.maxStallMs * 1.25 + 20 && record.peakRssMB <= serve.peakRssMB * 1.1;
    rows.push({
      row: `64 MiB ${transport} body: record costs no more than serve (medians of 3)`,
      status: held(ok),
      figures: `record: ${describe(record)}, line of ${((record.lineBytes ?? 0) / MiB).toFixed(0)} MiB; serve: ${describe(serve)}`,
    });
    rows.push({
      row: `64 MiB ${transport} body: stall < ${TARGET_MS} ms in record and serve`,
      status: held(record.maxStallMs < TARGET_MS && serve.maxStallMs < TARGET_MS),
      figures: `record ${ms(record.maxStallMs)}, serve ${ms(serve.maxStallMs)} (medians of 3)`,
      open: 'item 2',
    });
  }

  // Item 2: every shape the limits admit, into serve.
  const shapes: Shape[] = [
    { name: '64 MiB JSON, many spans', transport: 'http json', body: largestJson },
    { name: 'one 60 MiB attribute', transport: 'http protobuf', body: () => oneSpanRequest(60 * MiB, (w, i) => stringAttribute(w, `big${i}`, 'x'.repeat(60 * MiB))) },
    { name: 'JSON span with 1M attributes', transport: 'http json', body: () => manyAttributesJson(1_000_000) },
    { name: 'gzip body inflating to 33M empty attributes', transport: 'http protobuf', gzip: true, body: () => zlib.gzipSync(oneSpanRequest(64 * MiB - MiB, () => undefined), { level: 9 }) },
    { name: 'values nested 32 deep, 60 MiB of them', transport: 'http protobuf', body: () => deepNesting(60 * MiB) },
  ];
  for (const shape of shapes) {
    const body = shape.body();
    const r = await measureBigBody('serve', shape.transport, body, { gzip: shape.gzip });
    rows.push({
      row: `serve, ${shape.name}: stall < ${TARGET_MS} ms`,
      status: r.status === 200 ? held(r.maxStallMs < TARGET_MS) : 'falls short',
      figures: `${shape.gzip ? `gzip ${(body.length / 1024).toFixed(0)} KiB, ` : ''}${describe(r)}`,
      open: 'item 2',
    });
  }
  return rows;
}
