// Hostile requests into `msgtrace record`: fuzzed bodies (mutated protobuf and JSON, random bytes, wrong media
// types and encodings, other methods) must get a 2xx or 4xx, never a 5xx or no answer; aborted uploads must
// not hurt; bodies over the limit (declared, streamed, inflated, over gRPC) must be refused with 413 /
// RESOURCE_EXHAUSTED while the process stays small.
import * as http from 'node:http';
import * as net from 'node:net';
import * as zlib from 'node:zlib';
import { msgfluxRequest } from '../unit/receiver/msgfluxBodies';
import { grpcExport } from './bigBody';
import { startCli } from './cliProcess';
import { type StressRow, held, mb, n } from './table';

const MiB = 1024 * 1024;

/** A small deterministic PRNG (mulberry32): the same seed gives the same fuzz corpus. */
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

function mutate(body: Buffer, rnd: () => number): Buffer {
  const out = Buffer.from(body);
  const edits = 1 + Math.floor(rnd() * 8);
  let b = out;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * b.length);
    const r = rnd();
    if (r < 0.5) b[at] = Math.floor(rnd() * 256);
    else if (r < 0.7) b = b.subarray(0, at);
    else if (r < 0.85) b = Buffer.concat([b.subarray(0, at), Buffer.from([Math.floor(rnd() * 256)]), b.subarray(at)]);
    else b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(rnd() * 16))]);
    if (b.length === 0) break;
  }
  return b;
}

interface FuzzCase {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

function fuzzCase(rnd: () => number, pb: Buffer, json: Buffer): FuzzCase {
  const r = rnd();
  let body: Buffer;
  let type: string;
  if (r < 0.35) [body, type] = [mutate(pb, rnd), 'application/x-protobuf'];
  else if (r < 0.7) [body, type] = [mutate(json, rnd), 'application/json'];
  else if (r < 0.8) [body, type] = [Buffer.from(Array.from({ length: Math.floor(rnd() * 2000) }, () => Math.floor(rnd() * 256))), rnd() < 0.5 ? 'application/json' : 'application/x-protobuf'];
  else if (r < 0.9) [body, type] = [pb, ['text/plain', '', 'application/protobuf; charset=x', 'multipart/form-data'][Math.floor(rnd() * 4)]!];
  else [body, type] = [json, 'application/json'];
  const headers: Record<string, string> = {};
  if (type) headers['Content-Type'] = type;
  const e = rnd();
  if (e < 0.1) {
    headers['Content-Encoding'] = 'gzip';
    body = rnd() < 0.5 ? zlib.gzipSync(body) : mutate(zlib.gzipSync(body), rnd);
  } else if (e < 0.15) {
    headers['Content-Encoding'] = 'deflate';
    body = mutate(zlib.deflateSync(body), rnd);
  } else if (e < 0.18) headers['Content-Encoding'] = 'br';
  const method = rnd() < 0.03 ? ['GET', 'PUT', 'DELETE', 'PATCH'][Math.floor(rnd() * 4)]! : 'POST';
  return { method, headers, body };
}

function send(agent: http.Agent, port: number, c: FuzzCase, timeoutMs: number): Promise<number> {
  return new Promise(resolve => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/traces', method: c.method, agent, headers: { ...c.headers, 'Content-Length': c.body.length } }, res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(-1));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(-2);
    });
    req.on('error', () => resolve(-1));
    req.end(c.body);
  });
}

/** Sends `total` requests of `make()` with `concurrency` in flight; counts statuses. */
async function flood(port: number, total: number, concurrency: number, make: (i: number) => FuzzCase): Promise<Map<number, number>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const s = await send(agent, port, make(next++), 15_000);
        statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
    }),
  );
  agent.destroy();
  return statuses;
}

function abortedUpload(port: number): Promise<void> {
  return new Promise(resolve => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 50000\r\n\r\n${'a'.repeat(20_000)}`);
      setTimeout(() => s.destroy(), 5);
    });
    s.on('error', () => undefined);
    s.on('close', () => resolve());
  });
}

/** Headers declaring more than the limit; resolves with the status the server answers before any body. */
function declaredTooLarge(port: number): Promise<number> {
  return new Promise(resolve => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent: false, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': 70 * MiB } }, res => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => resolve(-1));
    req.flushHeaders();
  });
}

/** A chunked upload of zeros that goes on past the limit; resolves with the status (or -1 when cut without one). */
function streamedTooLarge(port: number): Promise<number> {
  return new Promise(resolve => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent: false, headers: { 'Content-Type': 'application/x-protobuf' } }, res => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => resolve(-1));
    const chunk = Buffer.alloc(MiB);
    let sent = 0;
    const pump = () => {
      while (sent < 80 && req.write(chunk)) sent++;
      if (sent < 80) req.once('drain', () => (sent++, pump()));
      else req.end();
    };
    pump();
  });
}

export async function hostileRows(fuzzCount: number): Promise<StressRow[]> {
  const p = await startCli(['record', '--http-port', '0', '--grpc-port', '0', '--quiet', '--out', '/dev/null']);
  try {
    await p.reset();
    const pb = msgfluxRequest(20);
    const json = Buffer.from(
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
            scopeSpans: [{ scope: { name: 's' }, spans: Array.from({ length: 10 }, (_, i) => ({ traceId: '5b8efff798038103d269b633813fc60c', spanId: `eee19b7ec3c1b1${(10 + i).toString(16)}`, name: `span ${i}`, kind: 1, startTimeUnixNano: '1544712660000000000', endTimeUnixNano: '1544712661000000000', attributes: [{ key: 'k', value: { arrayValue: { values: [{ intValue: '1' }, { doubleValue: 2.5 }, { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } }] } } }] })) }],
          },
        ],
      }),
    );
    const rnd = random(18);
    const t0 = performance.now();
    const statuses = await flood(p.httpPort, fuzzCount, 16, () => fuzzCase(rnd, pb, json));
    const fuzzMs = performance.now() - t0;
    const bad = [...statuses].filter(([s]) => !(s >= 200 && s < 300) && !(s >= 400 && s < 500));
    const seen = [...statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s < 0 ? (s === -2 ? 'no answer in 15 s' : 'connection error') : s}: ${n(c)}`);

    await Promise.all(Array.from({ length: 200 }, () => abortedUpload(p.httpPort)));
    const afterAborts = await send(new http.Agent(), p.httpPort, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: pb }, 10_000);

    const declared = await declaredTooLarge(p.httpPort);
    const streamed = await streamedTooLarge(p.httpPort);
    const bomb = zlib.gzipSync(Buffer.alloc(100 * MiB), { level: 9 });
    const bombStatus = await send(new http.Agent(), p.httpPort, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' }, body: bomb }, 30_000);
    const grpcOver = await grpcExport(p.grpcPort, Buffer.alloc(65 * MiB));
    const alive = await send(new http.Agent(), p.httpPort, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: pb }, 10_000);
    const report = await p.report();
    return [
      {
        row: `${n(fuzzCount)} fuzzed bodies into record (mutated protobuf/JSON, random bytes, media types, encodings, methods)`,
        status: held(bad.length === 0),
        figures: `${seen.join(', ')} in ${(fuzzMs / 1000).toFixed(1)} s; no 5xx, no hang: ${bad.length === 0 ? 'yes' : 'no'}`,
      },
      {
        row: '200 uploads aborted half-way',
        status: held(afterAborts === 200),
        figures: `the next request answered ${afterAborts}`,
      },
      {
        row: 'size limits and decompression bombs (record)',
        status: held(declared === 413 && (streamed === 413 || streamed === -1) && bombStatus === 413 && grpcOver === 1008 && alive === 200 && report.peakRssBytes < 1024 * MiB),
        figures: `Content-Length 70 MiB: ${declared}; 80 MiB chunked: ${streamed === -1 ? 'cut' : streamed}; gzip ${n(bomb.length)} B -> 100 MiB: ${bombStatus}; gRPC 65 MiB: ${grpcOver === 1008 ? 'RESOURCE_EXHAUSTED' : grpcOver}; afterwards ${alive}; peak RSS ${mb(report.peakRssBytes / MiB)}`,
      },
    ];
  } finally {
    await p.stop('SIGKILL');
  }
}
