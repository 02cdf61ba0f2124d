// Forwarding (the tee to a team backend): what it costs local ingest. Three receivers side by side in one run,
// each fed HTTP protobuf batch 512 by the load client's thread, as in the receiver suite: one without forwarding,
// one forwarding to a healthy upstream (a discard sink in a process of its own, standing for a backend on
// another machine), one forwarding to a dead upstream whose queue is full (every request drops the oldest).
// Targets (issue 17): at most 10 % slower with a healthy upstream, 5 % with a dead one. Plus how fast the
// healthy upstream got everything (the queue drains after the load ends).
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectForward } from '../../extension/src/forward/forwardConnection';
import { Forwarder } from '../../extension/src/forward/forwarder';
import { OtlpReceiver } from '../../extension/src/receiver/otlpReceiver';
import { ExportTraceServiceRequest } from '../../test/fixtures/otlpSchema';
import { type BenchRow, type BenchSuite, median } from '../harness';
import { LoadClient } from '../loadClient';

/** The receiver suite's msgflux-like span (10 attributes, one event), as protobuf: the same load. */
function requestPb(batch: number): Buffer {
  const s = (key: string, v: string) => ({ key, value: { stringValue: v } });
  const n = (key: string, v: number) => ({ key, value: { intValue: v } });
  const id = (i: number, k: number, len: number) => Buffer.from((i * 7919 + k).toString(16).padStart(len * 2, '0').slice(-len * 2).replace(/^0/, '1'), 'hex');
  const spans = Array.from({ length: batch }, (_, i) => ({
    traceId: id(i, 1, 16),
    spanId: id(i, 2, 8),
    parentSpanId: id(i, 3, 8),
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: String(1795493440056396601n + BigInt(i) * 1000n),
    endTimeUnixNano: String(1795493440156396601n + BigInt(i) * 1000n),
    attributes: [
      s('span.type', 'flow'), s('gen_ai.operation.name', 'chat'), s('gen_ai.system', 'openai'), s('gen_ai.request.model', 'gpt-4o-mini'),
      n('gen_ai.usage.input_tokens', 1234), n('gen_ai.usage.output_tokens', 56), s('module.name', 'MyAgent'), s('gen_ai.agent.name', 'My Agent'),
      s('msgflux.response.text', 'The capital of France is Paris.'), n('code.lineno', 42),
    ],
    events: [{ timeUnixNano: String(1795493440100000000n + BigInt(i)), name: 'gen_ai.content.completion', attributes: [s('gen_ai.completion', 'Paris')] }],
    status: { code: 1 },
    flags: 256,
  }));
  const request = { resourceSpans: [{ resource: { attributes: [s('service.name', 'msgtrace-app')] }, scopeSpans: [{ scope: { name: 'msgtrace.sdk', version: '0.1.0' }, spans }] }] };
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish());
}

/** A discard OTLP/HTTP sink in a child process: reads each body, answers 200. */
const SINK = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': 0 }).end());
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function startSink(): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', d => resolve(Number(String(d).trim())));
    child.once('exit', code => reject(new Error(`the sink exited with ${code}`)));
  });
  return { port, stop: () => child.kill() };
}

/**
 * A full garbage collection before each measured case: the healthy case leaves its drained queue (tens of MiB of
 * bodies) as garbage, whose collection would otherwise land in whichever case runs next.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The harness's `interleaved`, with the order of the cases rotated each round: on a loaded machine the case that
 * runs first in a round was measurably favoured, and a rotation spreads that over all of them.
 */
async function rotated(runs: number, cases: Record<string, () => Promise<number>>): Promise<Record<string, number[]>> {
  const names = Object.keys(cases);
  const results: Record<string, number[]> = Object.fromEntries(names.map(n => [n, []]));
  for (const name of names) await cases[name]!();
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      results[name]!.push(await cases[name]!());
    }
  }
  return results;
}

async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

export const forwardSuite: BenchSuite = {
  name: 'forward',
  async run({ runs, quick }) {
    const batch = 512;
    const pb = requestPb(batch);
    // A burst that fits the default 64 MiB queue (~50 MiB): one request in flight forwards only part of it while the
    // load runs, and the rest after (see the note of the healthy row).
    const requests = quick ? 32 : 240;
    const client = new LoadClient();
    const sink = await startSink();
    const receivers: OtlpReceiver[] = [];
    let received = 0;
    const receiver = async () => {
      const r = new OtlpReceiver({ httpPort: 0, grpcPort: null });
      r.onDidReceive(b => (received += b.batch.columns.count));
      receivers.push(r);
      return { r, port: (await r.start()).http!.port };
    };
    const off = await receiver();
    const healthy = await receiver();
    const dead = await receiver();
    const toSink = new Forwarder({ endpoint: `http://127.0.0.1:${sink.port}/v1/traces` });
    const toDead = new Forwarder({ endpoint: `http://127.0.0.1:${await deadPort()}/v1/traces` });
    const tees = [connectForward(healthy.r, () => toSink), connectForward(dead.r, () => toDead)];
    // The dead upstream's queue full before anything is measured: from here on every request drops the oldest.
    while (toDead.stats().dropped.requests === 0) toDead.enqueue(pb, batch);
    const kept = await client.keep(pb);
    const drive = (port: number) => (collectGarbage(), client.drive({ kind: 'http', port, contentType: 'application/x-protobuf' }, kept, requests, batch, 8));
    const drain: { rate: number; queuedAtEnd: number }[] = [];
    // CPU time per span beside the wall-clock rates: on a loaded machine the rates also measure what other
    // processes (and the sink) take, CPU time does not. Node 20 has no per-thread CPU clock, so it is the process's:
    // the receiver and the load client's thread, whose share is the same in every case; the difference between
    // cases is what forwarding costs. The healthy case's includes sending after the load ended: all its work.
    const cpu: Record<string, number[]> = { off: [], healthy: [], dead: [] };
    const measured = async (name: string, port: number, after?: () => Promise<void>) => {
      const c0 = process.cpuUsage();
      const rate = await drive(port);
      await after?.();
      const c = process.cpuUsage(c0);
      cpu[name]!.push((c.user + c.system) / (requests * batch));
      return rate;
    };
    try {
      const r = await rotated(runs, {
        off: () => measured('off', off.port),
        healthy: () => {
          const t0 = performance.now();
          let queuedAtEnd = 0;
          return measured('healthy', healthy.port, async () => {
            queuedAtEnd = toSink.stats().queued.requests;
            // Drained before the next case runs, so that its sending is not counted against another case.
            if (!(await toSink.flush(60_000))) throw new Error('the healthy upstream did not get everything within 60 s');
            drain.push({ rate: (requests * batch) / ((performance.now() - t0) / 1000), queuedAtEnd });
          });
        },
        dead: () => measured('dead', dead.port),
      });
      // The warm-up round is not a measurement.
      for (const xs of Object.values(cpu)) xs.shift();
      drain.shift();
      const healthyStats = toSink.stats();
      const deadStats = toDead.stats();
      if (healthyStats.failed.requests) throw new Error(`the healthy upstream refused requests: ${JSON.stringify(healthyStats)}`);
      if (deadStats.sent.requests || deadStats.queued.bytes > deadStats.maxQueueBytes) throw new Error(`the dead upstream's queue: ${JSON.stringify(deadStats)}`);
      const base = `forward / http protobuf / batch ${batch} / local ingest`;
      const offName = `${base}, forwarding off`;
      const queuedAtEnd = median(drain.map(d => d.queuedAtEnd));
      return [
        { name: offName, median: median(r.off!), unit: 'spans/s', runs, better: 'higher' },
        {
          name: `${base}, forwarding to a healthy upstream`,
          median: median(r.healthy!),
          unit: 'spans/s',
          runs,
          better: 'higher',
          baseline: offName,
          note: `target >= 0.90x; ${queuedAtEnd} of ${requests} requests (${(pb.length / 1024).toFixed(0)} KiB each) still queued when the load ended (median); ${healthyStats.dropped.requests} dropped in all runs`,
        },
        {
          name: `${base}, forwarding to a dead upstream (queue full)`,
          median: median(r.dead!),
          unit: 'spans/s',
          runs,
          better: 'higher',
          baseline: offName,
          note: `target >= 0.95x; ${deadStats.dropped.requests.toLocaleString('en-US')} requests dropped and counted, ${(deadStats.queued.bytes / 1024 / 1024).toFixed(0)} MiB queued`,
        },
        { name: `${base} / CPU (receiver + load client), forwarding off`, median: median(cpu.off!), unit: 'us/span', runs, better: 'lower' },
        {
          name: `${base} / CPU (receiver + load client), healthy upstream, until all forwarded`,
          median: median(cpu.healthy!),
          unit: 'us/span',
          runs,
          better: 'lower',
          baseline: `${base} / CPU (receiver + load client), forwarding off`,
          note: `forwarding's own cost: ${(median(cpu.healthy!) - median(cpu.off!)).toFixed(2)} us/span`,
        },
        {
          name: `${base} / CPU (receiver + load client), dead upstream`,
          median: median(cpu.dead!),
          unit: 'us/span',
          runs,
          better: 'lower',
          baseline: `${base} / CPU (receiver + load client), forwarding off`,
        },
        {
          name: `forward / http protobuf / batch ${batch} / healthy upstream: all spans forwarded`,
          median: median(drain.map(d => d.rate)),
          unit: 'spans/s',
          runs,
          better: 'higher',
          note: 'from the first request to the upstream answering the last; one request in flight',
        },
      ] satisfies BenchRow[];
    } finally {
      for (const t of tees) t.dispose();
      toSink.dispose();
      toDead.dispose();
      await client.close();
      for (const r of receivers) await r.dispose();
      sink.stop();
      if (received === 0) console.error('forward bench: nothing was received');
    }
  },
};
