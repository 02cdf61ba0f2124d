// Concurrent real OpenTelemetry JS exporters (HTTP protobuf, HTTP JSON, gRPC, half of them gzip) into
// `msgtrace record` for a bounded time, and the exact count afterwards: every span an exporter saw acknowledged
// is in the file once, nothing else is. Meanwhile slow uploads trickle in and must be cut with 408 at the body
// deadline without slowing the exporters down.
import { SpanKind, context, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOtlpJsonFile } from '../../extension/src/storage/otlpJsonFileReader';
import { startCli } from './cliProcess';
import { type StressRow, held, mb, ms, n } from './table';

/** Collects ended spans for the next export (no batching processor: each export is one exact batch). */
class Collect implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type Kind = 'http protobuf' | 'http json' | 'grpc';

function exporterFor(kind: Kind, gzip: boolean, httpPort: number, grpcPort: number): SpanExporter {
  const compression = (gzip ? 'gzip' : 'none') as never;
  if (kind === 'grpc') return new GrpcExporter({ url: `http://127.0.0.1:${grpcPort}`, compression });
  const url = `http://127.0.0.1:${httpPort}/v1/traces`;
  return kind === 'http json' ? new JsonExporter({ url, compression }) : new ProtoExporter({ url, compression });
}

interface ExporterTally {
  acknowledged: Set<string>;
  failed: number;
  exports: number;
}

async function runExporter(kind: Kind, gzip: boolean, tag: number, ports: { http: number; grpc: number }, until: number, batch: number, latencies: number[]): Promise<ExporterTally> {
  const collect = new Collect();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': `stress-${tag}` }), spanProcessors: [collect] });
  const tracer = provider.getTracer('msgtrace-stress', '1.0.0');
  const exporter = exporterFor(kind, gzip, ports.http, ports.grpc);
  const tally: ExporterTally = { acknowledged: new Set(), failed: 0, exports: 0 };
  while (performance.now() < until) {
    const root = tracer.startSpan(`invoke_agent stress-${tag}`, { kind: SpanKind.SERVER, attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
    const parent = trace.setSpan(context.active(), root);
    for (let i = 1; i < batch; i++) {
      const s = tracer.startSpan('chat model', { attributes: { 'gen_ai.usage.input_tokens': i, 'gen_ai.request.model': 'stub', note: 'x'.repeat(i % 64) } }, parent);
      s.addEvent('token', { i });
      s.end();
    }
    root.end();
    const spans = collect.spans.splice(0);
    const t0 = performance.now();
    const ok = await new Promise<boolean>(resolve => exporter.export(spans, r => resolve(r.code === ExportResultCode.SUCCESS)));
    latencies.push(performance.now() - t0);
    tally.exports++;
    if (ok) for (const s of spans) tally.acknowledged.add(`${s.spanContext().traceId}/${s.spanContext().spanId}`);
    else tally.failed++;
  }
  await exporter.shutdown();
  return tally;
}

/** One slow upload: headers, then a byte every `everyMs` until the server closes the connection; resolves with its status line. */
function slowUpload(port: number, everyMs: number): Promise<string> {
  return new Promise(resolve => {
    const s = net.connect(port, '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    // The body's bytes only after the headers: a byte queued before them (a busy loop delays 'connect') would make
    // the request line invalid, which the server rightly answers 400.
    s.on('connect', () => {
      s.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n`);
      timer = setInterval(() => s.writable && s.write('a'), everyMs);
    });
    s.on('data', d => (answer += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearInterval(timer);
      resolve(answer.split('\r\n')[0] ?? '');
    });
  });
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))] ?? 0;
};

export async function exporterRows(seconds: number): Promise<StressRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'msgtrace-stress-'));
  const out = join(dir, 'record.jsonl');
  const p = await startCli(['record', '--http-port', '0', '--grpc-port', '0', '--quiet', '--out', out]);
  try {
    await p.reset();
    const ports = { http: p.httpPort, grpc: p.grpcPort };
    // The body deadline is 30 s: the slow uploads start with the exporters and must end before they stop.
    const slowCount = 100;
    const slow = Array.from({ length: slowCount }, () => slowUpload(p.httpPort, 1_000));
    const until = performance.now() + seconds * 1000;
    const kinds: [Kind, boolean][] = [
      ['http protobuf', false],
      ['http protobuf', true],
      ['http json', false],
      ['http json', true],
      ['grpc', false],
      ['grpc', true],
      ['http protobuf', false],
      ['grpc', false],
    ];
    const latencies: number[] = [];
    const tallies = await Promise.all(kinds.map(([kind, gzip], i) => runExporter(kind, gzip, i, ports, until, 256, latencies)));
    const slowAnswers = await Promise.all(slow);
    const report = await p.report();
    const code = await p.stop('SIGTERM');
    const read = await readOtlpJsonFile(out);
    const acknowledged = new Set<string>();
    for (const t of tallies) for (const id of t.acknowledged) acknowledged.add(id);
    const written = new Map<string, number>();
    for (const b of read.batches) for (const s of b.spans) written.set(`${s.traceId}/${s.spanId}`, (written.get(`${s.traceId}/${s.spanId}`) ?? 0) + 1);
    let missing = 0;
    for (const id of acknowledged) if (!written.has(id)) missing++;
    let duplicates = 0;
    let unacknowledged = 0;
    for (const [id, count] of written) {
      duplicates += count - 1;
      if (!acknowledged.has(id)) unacknowledged++;
    }
    const failed = tallies.reduce((x, t) => x + t.failed, 0);
    const exports = tallies.reduce((x, t) => x + t.exports, 0);
    const cut408 = slowAnswers.filter(a => a.startsWith('HTTP/1.1 408')).length;
    const answerCounts = new Map<string, number>();
    for (const a of slowAnswers) answerCounts.set(a || 'closed without an answer', (answerCounts.get(a || 'closed without an answer') ?? 0) + 1);
    return [
      {
        row: `8 concurrent real OTel JS exporters (HTTP protobuf, JSON, gRPC, half gzip) into record for ${seconds} s`,
        status: held(missing === 0 && duplicates === 0 && acknowledged.size > 0 && code === 0),
        figures: `${n(acknowledged.size)} spans acknowledged in ${n(exports)} exports, ${n(written.size)} written, ${missing} missing, ${duplicates} duplicates, ${unacknowledged} written but not acknowledged, ${failed} failed exports; exit ${code}; peak RSS ${mb(report.peakRssBytes / 1048576)}`,
      },
      {
        row: `${slowCount} slow uploads (1 byte/s) during the exporters`,
        status: held(cut408 === slowCount && percentile(latencies, 0.99) < 2_000),
        figures: `${cut408}/${slowCount} cut with 408 at the 30 s body deadline (${[...answerCounts].map(([a, c]) => `${a}: ${c}`).join(', ')}); exporters' export p50 ${ms(percentile(latencies, 0.5))}, p99 ${ms(percentile(latencies, 0.99))}`,
      },
    ];
  } finally {
    await p.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
