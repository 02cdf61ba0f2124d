// The receiver benchmark's load generator, in a worker thread: the servers under test keep the main thread's
// event loop to themselves (as the extension host's receiver would), and on a 2-core machine the client gets
// the other core instead of taking turns with the server.
import * as grpc from '@grpc/grpc-js';
import * as http from 'node:http';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { TRACE_EXPORT_PATH, exportMethod } from '../extension/src/receiver/grpcServer';

/** Where to send: OTLP/HTTP with a content type, or OTLP/gRPC. */
export type LoadTarget = { readonly kind: 'http'; readonly port: number; readonly contentType: string } | { readonly kind: 'grpc'; readonly port: number };

interface DriveRequest {
  readonly id: number;
  readonly target: LoadTarget;
  readonly body: Uint8Array;
  readonly requests: number;
  readonly spansPerRequest: number;
  readonly concurrency: number;
}

const WORKER_FLAG = 'msgtraceBenchLoadClient';

/** True in the worker: the bundle's entry then serves as the client instead of running the benchmarks. */
export function isLoadClientThread(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true;
}

/** The main thread's handle on the client worker. */
export class LoadClient {
  private readonly worker = new Worker(__filename, { workerData: { [WORKER_FLAG]: true } });
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (rate: number) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.on('message', (m: { id: number; rate?: number; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.rate!);
    });
    this.worker.on('error', e => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  /** Sends `requests` copies of `body` with `concurrency` in flight; resolves to spans per second. */
  drive(target: LoadTarget, body: Uint8Array, requests: number, spansPerRequest: number, concurrency: number): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, target, body, requests, spansPerRequest, concurrency } satisfies DriveRequest);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

type Send = (body: Uint8Array) => Promise<void>;

const traceMethod = exportMethod(TRACE_EXPORT_PATH);

/** Runs in the worker: answers DriveRequests until terminated. */
export function runLoadClient(): void {
  // Idle sockets are dropped before the servers' 5 s keep-alive timeout, so a reused socket is never reset.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4, timeout: 2000 });
  const grpcClients = new Map<number, Send>();
  const senderFor = (target: LoadTarget): Send => {
    if (target.kind === 'grpc') {
      let send = grpcClients.get(target.port);
      if (!send) {
        const Client = grpc.makeGenericClientConstructor({ Export: traceMethod }, 'TraceService');
        const client = new Client(`127.0.0.1:${target.port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 });
        const call = client as unknown as { Export: (b: Buffer, cb: (e: Error | null) => void) => void };
        send = body => new Promise((resolve, reject) => call.Export(Buffer.from(body.buffer, body.byteOffset, body.byteLength), e => (e ? reject(e) : resolve())));
        grpcClients.set(target.port, send);
      }
      return send;
    }
    return body =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: target.port, path: '/v1/traces', method: 'POST', agent, headers: { 'Content-Type': target.contentType, 'Content-Length': body.length } },
          res => {
            if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
            res.resume();
            res.on('end', () => resolve());
          },
        );
        req.on('error', reject);
        req.end(body);
      });
  };
  parentPort!.on('message', (m: DriveRequest) => {
    const send = senderFor(m.target);
    let next = 0;
    const t0 = performance.now();
    Promise.all(
      Array.from({ length: m.concurrency }, async () => {
        while (next++ < m.requests) await send(m.body);
      }),
    ).then(
      () => parentPort!.postMessage({ id: m.id, rate: (m.requests * m.spansPerRequest) / ((performance.now() - t0) / 1000) }),
      (e: unknown) => parentPort!.postMessage({ id: m.id, error: String(e) }),
    );
  });
}
