// `msgtrace record`: run the receiver without VS Code and append every request it decodes to a file as one
// OTLP/JSON ExportTraceServiceRequest per line (the OpenTelemetry Collector file exporter's format).
import * as fs from 'node:fs';
import { encodeTraceRequestJson } from '../core/otlp/jsonEncoder';
import { OtlpReceiver, formatHostPort } from '../receiver/otlpReceiver';

export interface RecordArgs {
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly out: string;
  readonly quiet: boolean;
}

/** Runs until SIGINT/SIGTERM; resolves with the exit code once the file is flushed. */
export async function record(args: RecordArgs): Promise<number> {
  const out = fs.createWriteStream(args.out, { flags: 'a' });
  const opened = new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  await opened;
  let writeError: Error | undefined;
  out.on('error', err => (writeError = err));
  const log = (m: string) => {
    if (!args.quiet) process.stderr.write(`msgtrace: ${m}\n`);
  };
  const receiver = new OtlpReceiver({
    host: args.host,
    httpPort: args.httpPort,
    grpcPort: args.grpcPort,
    allowNonLoopback: true,
    logger: { info: log, warn: log, error: log },
  });
  receiver.onDidReceive(({ batch }) => {
    if (batch.spans.length > 0) out.write(`${encodeTraceRequestJson(batch.spans)}\n`);
  });
  const addresses = await receiver.start();
  const a = (x: { host: string; port: number } | undefined) => (x ? formatHostPort(x.host, x.port) : 'off');
  process.stdout.write(`listening http=${a(addresses.http)} grpc=${a(addresses.grpc)}\n`);

  await new Promise<void>(resolve => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await receiver.dispose();
  await new Promise<void>(resolve => out.end(resolve));
  const s = receiver.stats();
  log(`stopped: ${s.spans} spans in ${s.traceRequests} requests written to ${args.out}`);
  if (writeError) {
    process.stderr.write(`msgtrace: could not write ${args.out}: ${writeError.message}\n`);
    return 1;
  }
  return 0;
}
