// Opening a remote trace (docs/backends.md): a 10k-span trace fetched from a stub backend on loopback, decoded and
// ingested into a fresh store, as "Open Trace by ID" does — Jaeger's v3 answer (OTLP/JSON in a `result` envelope),
// Tempo's v2 answer (a protobuf TraceByIDResponse), and Jaeger's v1 JSON span format (the fallback). Target <= 1 s.
// The stub serves prebuilt bodies, so the time is the client's: HTTP, body read, decode, ingest and flush.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendKind } from '../../extension/src/backends/backendConfig';
import { createBackendClient } from '../../extension/src/backends/backendClients';
import { ingestRemoteTrace } from '../../extension/src/backends/remoteRun';
import { decodeTraceRequestObject } from '../../extension/src/core/otlp/jsonDecoder';
import { TraceStore } from '../../extension/src/core/store/traceStore';
import { bigTraceJson, toProtobuf, traceByIdResponse, v3Envelope } from '../../test/unit/backends/backendFixtures';
import { type BenchRow, type BenchSuite, interleaved, median } from '../harness';

const TRACE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** The same trace in Jaeger's v1 format: one process per service, CHILD_OF references, typed tags. */
function jaegerV1Body(n: number): string {
  const otlp = bigTraceJson(n, TRACE_ID) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
  const spans = otlp.resourceSpans.flatMap((rs, p) =>
    rs.scopeSpans[0]!.spans.map(s => ({
      traceID: TRACE_ID,
      spanID: s.spanId,
      operationName: s.name,
      references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID: TRACE_ID, spanID: s.parentSpanId }] : [],
      startTime: Number(BigInt(s.startTimeUnixNano as string) / 1000n),
      duration: Number((BigInt(s.endTimeUnixNano as string) - BigInt(s.startTimeUnixNano as string)) / 1000n),
      tags: [
        { key: 'span.type', type: 'string', value: 'module' },
        { key: 'iteration', type: 'int64', value: 1 },
      ],
      logs: [],
      processID: `p${p + 1}`,
    })),
  );
  const processes = Object.fromEntries(otlp.resourceSpans.map((_, p) => [`p${p + 1}`, { serviceName: `svc-${p}`, tags: [] }]));
  return JSON.stringify({ data: [{ traceID: TRACE_ID, spans, processes }] });
}

async function serve(routes: Record<string, { type: string; body: Buffer }>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    res.writeHead(200, { 'content-type': route.type, 'content-length': route.body.length }).end(route.body);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const backendsSuite: BenchSuite = {
  name: 'backends',
  async run({ runs }) {
    const n = 10_000;
    const trace = bigTraceJson(n, TRACE_ID);
    const v3 = Buffer.from(v3Envelope(trace));
    const pb = Buffer.from(traceByIdResponse(toProtobuf(trace)));
    const v1 = Buffer.from(jaegerV1Body(n));
    // The v1 server has no v3 path: the client's first request learns that (as against an old Jaeger).
    const jaeger = await serve({ [`/api/v3/traces/${TRACE_ID}`]: { type: 'application/json', body: v3 } });
    const tempo = await serve({ [`/api/v2/traces/${TRACE_ID}`]: { type: 'application/protobuf', body: pb } });
    const jaegerV1 = await serve({ [`/api/traces/${TRACE_ID}`]: { type: 'application/json', body: v1 } });
    const options = { headers: {}, timeoutMs: 30_000, maxBodyBytes: 64 * 1024 * 1024 };
    const open = (kind: BackendKind, url: string) => {
      const config = { name: `bench-${kind}`, kind, url };
      const client = createBackendClient(config, options);
      return async () => {
        const store = new TraceStore({ retention: { maxSpans: Infinity, maxBytes: Infinity } });
        const t0 = performance.now();
        const opened = await ingestRemoteTrace(store, config, await client.trace(TRACE_ID));
        const ms = performance.now() - t0;
        if (opened.run?.spanCount !== n) throw new Error(`${kind}: ${opened.run?.spanCount ?? 0} spans stored, not ${n}`);
        store.dispose();
        return ms;
      };
    };
    const rows: BenchRow[] = [];
    try {
      // Sanity: the three bodies hold the same trace.
      if (decodeTraceRequestObject(trace).spans.length !== n) throw new Error('fixture');
      const r = await interleaved(runs, {
        jaegerV3: open('jaeger', jaeger.url),
        tempoV2: open('tempo', tempo.url),
        jaegerV1: open('jaeger', jaegerV1.url),
      });
      const mib = (b: Buffer) => `${(b.length / 1024 / 1024).toFixed(1)} MiB`;
      rows.push({ name: 'backends / open a 10k-span remote trace / Jaeger v3 OTLP/JSON', median: median(r.jaegerV3!), unit: 'ms', runs, better: 'lower', note: `target <= 1000 ms; fetch + decode + ingest, ${mib(v3)} body` });
      rows.push({ name: 'backends / open a 10k-span remote trace / Tempo v2 protobuf', median: median(r.tempoV2!), unit: 'ms', runs, better: 'lower', note: `target <= 1000 ms; fetch + decode + ingest, ${mib(pb)} body` });
      rows.push({ name: 'backends / open a 10k-span remote trace / Jaeger v1 JSON (fallback)', median: median(r.jaegerV1!), unit: 'ms', runs, better: 'lower', note: `v3 404 then v1; converted to OTLP, ${mib(v1)} body` });
    } finally {
      await Promise.all([jaeger.close(), tempo.close(), jaegerV1.close()]);
    }
    return rows;
  },
};
