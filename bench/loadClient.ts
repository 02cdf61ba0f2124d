// The receiver benchmark's load generator, in a worker thread: the servers under test keep the main thread's
// event loop to themselves (as the extension host's receiver would), and on a 2-core machine the client gets
// the other core instead of taking turns with the server.
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { TRACE_EXPORT_PATH, exportMethod } from '../extension/src/receiver/grpcServer';

/** Where to send: OTLP/HTTP with a content type, or OTLP/gRPC. */
export type LoadTarget = { readonly kind: 'http'; readonly port: number; readonly contentType: string } | { readonly kind: 'grpc'; readonly port: number };

/** A body the worker already holds (LoadClient.keep), so that sending it costs the main thread no copy. */
export interface KeptBody {
  readonly kept: number;
  readonly length: number;
}

interface DriveRequest {
  readonly id: number;
  readonly target: LoadTarget;
  readonly body: Uint8Array | KeptBody;
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
  drive(target: LoadTarget, body: Uint8Array | KeptBody, requests: number, spansPerRequest: number, concurrency: number): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, target, body, requests, spansPerRequest, concurrency } satisfies DriveRequest);
    });
  }

  /**
   * Copies `body` to the worker now, for `drive` to send later: a 64 MiB body cloned by postMessage inside a
   * measurement would count as the server's stall.
   */
  keep(body: Uint8Array): Promise<KeptBody> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: () => resolve({ kept: id, length: body.length }), reject });
      this.worker.postMessage({ id, keep: body });
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
  const grpcClients = new Map<number, Send>();
  const grpcSender = (port: number): Send => {
    let send = grpcClients.get(port);
    if (!send) {
      const Client = grpc.makeGenericClientConstructor({ Export: traceMethod }, 'TraceService');
      const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 });
      const call = client as unknown as { Export: (b: Buffer, cb: (e: Error | null) => void) => void };
      send = body => new Promise((resolve, reject) => call.Export(Buffer.from(body.buffer, body.byteOffset, body.byteLength), e => (e ? reject(e) : resolve())));
      grpcClients.set(port, send);
    }
    return send;
  };
  const kept = new Map<number, Uint8Array>();
  parentPort!.on('message', (msg: DriveRequest | { id: number; keep: Uint8Array }) => {
    if ('keep' in msg) {
      kept.set(msg.id, msg.keep);
      parentPort!.postMessage({ id: msg.id, rate: 0 });
      return;
    }
    const m = { ...msg, body: 'kept' in msg.body ? kept.get(msg.body.kept)! : msg.body };
    const target = m.target;
    let next = 0;
    let t0 = 0;
    const run = async () => {
      if (target.kind === 'grpc') {
        const send = grpcSender(target.port);
        t0 = performance.now();
        await Promise.all(
          Array.from({ length: m.concurrency }, async () => {
            while (next++ < m.requests) await send(m.body);
          }),
        );
        return;
      }
      // Connections are opened before the clock starts, as a keep-alive client would have them.
      const conns = await Promise.all(Array.from({ length: m.concurrency }, () => RawHttpConnection.open(target.port)));
      const request = httpRequestBytes(target, m.body);
      t0 = performance.now();
      try {
        await Promise.all(
          conns.map(async c => {
            while (next++ < m.requests) await c.exchange(request);
          }),
        );
      } finally {
        for (const c of conns) c.close();
      }
    };
    run().then(
      () => parentPort!.postMessage({ id: m.id, rate: (m.requests * m.spansPerRequest) / ((performance.now() - t0) / 1000) }),
      (e: unknown) => parentPort!.postMessage({ id: m.id, error: String(e) }),
    );
  });
}

/** One HTTP/1.1 POST to /v1/traces as bytes: head and body in one buffer, written with one call. */
function httpRequestBytes(target: Extract<LoadTarget, { kind: 'http' }>, body: Uint8Array): Buffer {
  const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nContent-Type: ${target.contentType}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/**
 * A keep-alive HTTP/1.1 connection driven by hand, the way load generators (wrk, autocannon) do it: the request
 * is written as prepared bytes and the answer is read only as far as its status line and Content-Length. With
 * node:http's client the client thread was the bottleneck of the discard sink's figure, so the benchmark
 * measured the client more than the servers.
 */
class RawHttpConnection {
  private pending: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private received: Buffer = Buffer.alloc(0);

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', chunk => this.onData(chunk));
    socket.on('error', e => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  static open(port: number): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve(new RawHttpConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends one request and resolves when its whole answer arrived; rejects unless the status is 200. */
  exchange(request: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.pending = undefined;
    this.socket.destroy();
  }

  private fail(e: Error): void {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(e);
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const headEnd = this.received.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.received.toString('latin1', 0, headEnd);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
    if (!Number.isFinite(length)) return this.fail(new Error(`answer without Content-Length: ${head}`));
    if (this.received.length < headEnd + 4 + length) return;
    this.received = this.received.subarray(headEnd + 4 + length);
    const status = Number(head.slice(9, 12));
    const p = this.pending;
    this.pending = undefined;
    if (status === 200) p?.resolve();
    else p?.reject(new Error(`status ${status}: ${head.split('\r\n')[0]}`));
  }
}
