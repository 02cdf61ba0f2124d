// One body of the largest size the default limit admits, sent to a fresh `msgtrace record` or `msgtrace serve`:
// how long until it is answered, until the process is done with it (the line in the file, the spans in the
// store), the longest event-loop stall of the process meanwhile and its peak RSS.
import * as grpc from '@grpc/grpc-js';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliProcess, settled, startCli } from './cliProcess';

export type BigBodyTransport = 'http protobuf' | 'http json' | 'grpc';

export interface BigBodyResult {
  readonly command: 'record' | 'serve';
  readonly transport: BigBodyTransport;
  readonly bodyBytes: number;
  /** The answer's HTTP status (gRPC: 200 for OK). */
  readonly status: number;
  readonly answerMs: number;
  /** Until the process went quiet (and, for record, the line was in the file). */
  readonly doneMs: number;
  readonly maxStallMs: number;
  readonly peakRssMB: number;
  /** record: bytes of the line written. */
  readonly lineBytes?: number;
}

export function postBody(port: number, body: Uint8Array, contentType: string, path = '/v1/traces', headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'Content-Type': contentType, 'Content-Length': body.length, ...headers } }, res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const passThrough = (b: Buffer) => b;
const TraceClient = grpc.makeGenericClientConstructor(
  {
    Export: {
      path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      requestStream: false,
      responseStream: false,
      requestSerialize: passThrough,
      requestDeserialize: passThrough,
      responseSerialize: passThrough,
      responseDeserialize: passThrough,
    },
  },
  'TraceService',
);

/** One unary Export with the message as given; resolves 200 for OK, else the gRPC code + 1000. */
export function grpcExport(port: number, body: Buffer): Promise<number> {
  const client = new TraceClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
  return new Promise(resolve => {
    (client as unknown as { Export(b: Buffer, cb: (err: grpc.ServiceError | null) => void): void }).Export(body, err => {
      client.close();
      resolve(err ? 1000 + err.code : 200);
    });
  });
}

/** The file's size once it ends with a newline (a line complete), else 0. */
function completeLine(file: string): number {
  const size = statSync(file).size;
  if (size === 0) return 0;
  const fd = openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a ? size : 0;
  } finally {
    closeSync(fd);
  }
}

export async function measureBigBody(command: 'record' | 'serve', transport: BigBodyTransport, body: Buffer, options: { readonly gzip?: boolean } = {}): Promise<BigBodyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'msgtrace-stress-'));
  const out = join(dir, 'record.jsonl');
  let p: CliProcess | undefined;
  try {
    p = await startCli([command, '--http-port', '0', '--grpc-port', '0', '--quiet', ...(command === 'record' ? ['--out', out] : ['--ui-port', '0'])]);
    // Let start-up work (module loading, JIT) finish before the window opens.
    await settled(p, 300, 5_000);
    await p.reset();
    const t0 = performance.now();
    const status =
      transport === 'grpc'
        ? await grpcExport(p.grpcPort, body)
        : await postBody(p.httpPort, body, transport === 'http json' ? 'application/json' : 'application/x-protobuf', '/v1/traces', options.gzip ? { 'Content-Encoding': 'gzip' } : {});
    const answerMs = performance.now() - t0;
    let lineBytes: number | undefined;
    let lineAt = 0;
    if (command === 'record' && status === 200) {
      while (!(lineBytes = completeLine(out))) {
        if (performance.now() - t0 > 120_000) throw new Error('record did not finish writing the line');
        await new Promise(r => setTimeout(r, 20));
      }
      lineAt = performance.now();
    }
    const quietAt = await settled(p, 300);
    const doneMs = Math.max(lineAt, quietAt) - t0;
    const report = await p.report();
    return {
      command,
      transport,
      bodyBytes: body.length,
      status,
      answerMs,
      doneMs,
      maxStallMs: report.maxStallMs,
      peakRssMB: report.peakRssBytes / 1024 / 1024,
      lineBytes,
    };
  } finally {
    await p?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
