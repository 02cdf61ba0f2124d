// OTLP receiver, end to end on loopback (servers on this thread, the load client in a worker thread): spans/s for HTTP protobuf,
// HTTP JSON and gRPC at batch 1, 512 and 8192, side by side with (a) a discard sink that reads the body and
// answers 200, the ceiling of the transport on this Node, and (b) a plain receiver on protobufjs (JSON.parse for
// JSON) that converts to plain objects. Plus the longest event-loop stall while the largest body is ingested.
import * as grpc from '@grpc/grpc-js';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SlicedIngest } from '../../extension/src/core/store/slicedIngest';
import { TraceStore } from '../../extension/src/core/store/traceStore';
import { OtlpReceiver } from '../../extension/src/receiver/otlpReceiver';
import { ExportTraceServiceRequest } from '../../test/fixtures/otlpSchema';
import { type BenchRow, type BenchSuite, interleaved, median } from '../harness';
import { type KeptBody, LoadClient } from '../loadClient';
import { batchSpanCount } from '../../extension/src/core/model/batch';
import { TRACE_EXPORT_PATH, exportMethod } from '../../extension/src/receiver/grpcServer';
import { decodeTraceRequest } from '../../extension/src/core/otlp/protobufDecoder';
import { traceRequestJsonLine } from '../../extension/src/core/otlp/protobufJsonLine';
import { otlpJsonLine } from '../../extension/src/storage/otlpJsonLinesWriter';

/** A msgflux-like span: 10 attributes, one event (shapes of docs/msgflux-wire.md#agent-example). */
function spanJson(i: number): Record<string, unknown> {
  const id = (n: number, len: number) => (i * 7919 + n).toString(16).padStart(len, '0').slice(-len).replace(/^0/, '1');
  const s = (key: string, v: string) => ({ key, value: { stringValue: v } });
  const n = (key: string, v: number) => ({ key, value: { intValue: String(v) } });
  return {
    traceId: id(1, 32),
    spanId: id(2, 16),
    parentSpanId: id(3, 16),
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: String(1795493440056396601n + BigInt(i) * 1000n),
    endTimeUnixNano: String(1795493440156396601n + BigInt(i) * 1000n),
    attributes: [
      s('span.type', 'flow'),
      s('gen_ai.operation.name', 'chat'),
      s('gen_ai.system', 'openai'),
      s('gen_ai.request.model', 'gpt-4o-mini'),
      n('gen_ai.usage.input_tokens', 1234),
      n('gen_ai.usage.output_tokens', 56),
      s('module.name', 'MyAgent'),
      s('gen_ai.agent.name', 'My Agent'),
      s('msgflux.response.text', 'The capital of France is Paris.'),
      n('code.lineno', 42),
    ],
    events: [{ timeUnixNano: String(1795493440100000000n + BigInt(i)), name: 'gen_ai.content.completion', attributes: [s('gen_ai.completion', 'Paris')] }],
    status: { code: 1 },
    flags: 256,
  };
}

function requestJson(batch: number, offset = 0): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'msgtrace-app' } }, { key: 'python.version', value: { stringValue: '3.11.2' } }] },
        scopeSpans: [{ scope: { name: 'msgtrace.sdk', version: '0.1.0' }, spans: Array.from({ length: batch }, (_, i) => spanJson(offset + i)) }],
      },
    ],
  };
}

function requestPb(batch: number, offset = 0): Buffer {
  const obj = JSON.parse(JSON.stringify(requestJson(batch, offset)), (k, v) => (/^(traceId|spanId|parentSpanId)$/.test(k) ? Buffer.from(v, 'hex') : v));
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(obj)).finish());
}

function listen(server: http.Server): Promise<number> {
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A plain HTTP server that reads the body and hands it to `handle`. */
function bodyServer(handle: (body: Buffer, json: boolean) => void): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const json = req.headers['content-type'] === 'application/json';
      handle(Buffer.concat(chunks), json);
      res.writeHead(200, { 'Content-Type': req.headers['content-type'] ?? '', 'Content-Length': json ? 2 : 0 });
      res.end(json ? '{}' : undefined);
    });
  });
}

const traceMethod = exportMethod(TRACE_EXPORT_PATH);

async function grpcServer(handle: (body: Buffer) => void): Promise<[grpc.Server, number]> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  server.addService({ Export: traceMethod }, { Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => (handle(call.request), cb(null, Buffer.alloc(0))) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return [server, port];
}

export const receiverSuite: BenchSuite = {
  name: 'receiver',
  async run({ runs, quick }) {
    const rows: BenchRow[] = [];
    const client = new LoadClient();
    let sink = 0;
    const ours = new OtlpReceiver({ httpPort: 0, grpcPort: 0 });
    ours.onDidReceive(b => (sink += batchSpanCount(b.batch)));
    const addr = await ours.start();
    const discard = bodyServer(b => (sink += b.length));
    const discardPort = await listen(discard);
    // What most projects would write: protobufjs decode + toObject (or JSON.parse) into plain objects.
    const plain = bodyServer((b, json) => {
      const o = json ? JSON.parse(b.toString('utf8')) : ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(b), { longs: String, bytes: String, defaults: false });
      sink += (o.resourceSpans as unknown[]).length;
    });
    const plainPort = await listen(plain);
    const [discardGrpc, discardGrpcPort] = await grpcServer(b => (sink += b.length));
    const [plainGrpc, plainGrpcPort] = await grpcServer(b => {
      const o = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(b), { longs: String, bytes: String });
      sink += (o.resourceSpans as unknown[]).length;
    });
    try {
      const batches = [1, 512, 8192];
      const spansPerRun = quick ? 8192 : 81_920;
      for (const batch of batches) {
        const pb = requestPb(batch);
        const json = Buffer.from(JSON.stringify(requestJson(batch)));
        // Batch 1 measures per-request cost; a few hundred requests are enough (gRPC unary calls are slow here).
        const requests = batch === 1 ? (quick ? 100 : 300) : Math.max(2, Math.round(spansPerRun / batch));
        // Enough requests in flight to keep the server busy: on these VMs an idle core takes long to wake, so with
        // few in flight the figures measured wake-up latency more than the receivers (docs/receiver.md).
        const conc = Math.min(batch === 1 ? 4 : 8, requests);
        const http = (port: number, contentType: string, body: Buffer) => () => client.drive({ kind: 'http', port, contentType }, body, requests, batch, conc);
        const grpcTo = (port: number) => () => client.drive({ kind: 'grpc', port }, pb, requests, batch, conc);
        const transports: [string, Record<string, () => Promise<number>>][] = [
          ['http protobuf', {
            sink: http(discardPort, 'application/x-protobuf', pb),
            protobufjs: http(plainPort, 'application/x-protobuf', pb),
            msgtrace: http(addr.http!.port, 'application/x-protobuf', pb),
          }],
          ['http json', {
            sink: http(discardPort, 'application/json', json),
            protobufjs: http(plainPort, 'application/json', json),
            msgtrace: http(addr.http!.port, 'application/json', json),
          }],
          ['grpc', {
            sink: grpcTo(discardGrpcPort),
            protobufjs: grpcTo(plainGrpcPort),
            msgtrace: grpcTo(addr.grpc!.port),
          }],
        ];
        for (const [transport, cases] of transports) {
          const r = await interleaved(runs, cases);
          const base = `receiver / ${transport} / batch ${batch}`;
          const plainName = `${base} / ${transport === 'http json' ? 'JSON.parse' : 'protobufjs'} receiver`;
          rows.push({ name: `${base} / discard sink`, median: median(r.sink!), unit: 'spans/s', runs, better: 'higher' });
          rows.push({ name: plainName, median: median(r.protobufjs!), unit: 'spans/s', runs, better: 'higher', baseline: `${base} / discard sink` });
          rows.push({ name: `${base} / msgtrace`, median: median(r.msgtrace!), unit: 'spans/s', runs, better: 'higher', baseline: plainName });
        }
      }
      rows.push(...(await jsonLineRows(runs, quick)));
      rows.push(...(await stallRows(addr.http!.port, client)));
    } finally {
      await client.close();
      await ours.dispose();
      await new Promise(r => discard.close(r));
      await new Promise(r => plain.close(r));
      discardGrpc.forceShutdown();
      plainGrpc.forceShutdown();
    }
    if (sink === 0) throw new Error('nothing was received');
    return rows;
  },
};

/**
 * What `msgtrace record` spends per span to write a request as an OTLP/JSON line: from Span objects (decoded
 * again, then JSON.stringify: what it did before) and from the request's bytes (protobufJsonLine.ts), side by side.
 */
async function jsonLineRows(runs: number, quick: boolean): Promise<BenchRow[]> {
  const body = requestPb(quick ? 2048 : 8192);
  const spans = decodeTraceRequest(body).spans.length;
  const rate = (fn: () => unknown) => () => {
    const t0 = performance.now();
    fn();
    return spans / ((performance.now() - t0) / 1000);
  };
  const r = await interleaved(runs, {
    objects: rate(() => otlpJsonLine(decodeTraceRequest(body).spans)),
    bytes: rate(() => traceRequestJsonLine(body)),
  });
  const base = `receiver / record: OTLP/JSON line of ${spans} spans`;
  return [
    { name: `${base} / Span objects + JSON.stringify (before)`, median: median(r.objects!), unit: 'spans/s', runs, better: 'higher' },
    { name: `${base} / from the request bytes`, median: median(r.bytes!), unit: 'spans/s', runs, better: 'higher', baseline: `${base} / Span objects + JSON.stringify (before)` },
  ];
}

/** A full garbage collection, as `node --expose-gc` would offer it. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The longest event-loop stall while one body of the largest allowed size (just under the 64 MiB default limit)
 * is sent and ingested, protobuf and JSON; in quick mode too, since this is the case the target is about.
 */
async function stallRows(port: number, client: LoadClient): Promise<BenchRow[]> {
  const limit = 64 * 1024 * 1024;
  const target = limit - 512 * 1024;
  const onePb = requestPb(2).length - requestPb(1).length;
  const pb = requestPb(Math.floor(target / onePb));
  const oneJson = JSON.stringify(requestJson(2)).length - JSON.stringify(requestJson(1)).length;
  const json = Buffer.from(JSON.stringify(requestJson(Math.floor(target / oneJson))));
  if (pb.length > limit || json.length > limit) throw new Error('stall body over the limit');
  // Sent from the load client's thread, as another process would: only the receiver's work is on this loop.
  const [keptPb, keptJson] = [await client.keep(pb), await client.keep(json)];
  const sender = (p: number, contentType: string) => async (body: KeptBody) => void (await client.drive({ kind: 'http', port: p, contentType }, body, 1, 0, 1));
  const rows: BenchRow[] = [];
  const measure = async (name: string, body: KeptBody, contentType: string, deliver = sender(port, contentType)) => {
    // Collect the garbage of building the bodies (hundreds of MB of JSON objects) first, so that its collection
    // is not counted as the receiver's stall.
    collectGarbage();
    await new Promise(r => setTimeout(r, 200));
    const h = monitorEventLoopDelay({ resolution: 5 });
    let maxGap = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    h.enable();
    const t0 = performance.now();
    await deliver(body);
    const ms = performance.now() - t0;
    h.disable();
    clearInterval(probe);
    rows.push({
      name,
      median: Math.max(h.max / 1e6, maxGap - 5),
      unit: 'ms',
      runs: 1,
      better: 'lower',
      note: `${(body.length / 1024 / 1024).toFixed(1)} MiB body ingested in ${ms.toFixed(0)} ms; target < 50 ms`,
    });
  };
  await measure('receiver / longest event-loop stall / http protobuf, largest body', keptPb, 'application/x-protobuf');
  await measure('receiver / longest event-loop stall / http json, largest body', keptJson, 'application/json');

  // As the extension wires it: the receiver hands each batch to the trace store in slices. The stall is measured
  // until every span is in the store, not only until the response.
  const store = new TraceStore();
  const ingest = new SlicedIngest(store);
  const wired = new OtlpReceiver({ httpPort: 0, grpcPort: null });
  let ingesting = Promise.resolve();
  wired.onDidReceive(({ batch, transport, path }) => (ingesting = ingest.ingest(batch, { transport, path })));
  const wiredAddr = await wired.start();
  const before = rows.length;
  const send = sender(wiredAddr.http!.port, 'application/x-protobuf');
  await measure('receiver / longest event-loop stall / http protobuf into the store, largest body', keptPb, 'application/x-protobuf', async b => {
    await send(b);
    await ingesting;
  });
  rows[before] = { ...rows[before]!, note: `${rows[before]!.note?.replace('ingested', 'decoded and stored')}; ${store.stats.spans.toLocaleString('en-US')} spans` };
  await wired.dispose();
  store.dispose();
  return rows;
}
