// `msgtrace record`: run the receiver without VS Code and append every request it decodes to a file as one
// OTLP/JSON ExportTraceServiceRequest per line (the OpenTelemetry Collector file exporter's format).
import { OtlpReceiver, formatHostPort } from '../receiver/otlpReceiver';
import { OtlpJsonLinesWriter } from '../storage/otlpJsonLinesWriter';

export interface RecordArgs {
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly out: string;
  readonly quiet: boolean;
}

/** Runs until SIGINT/SIGTERM; resolves with the exit code once the file is flushed. */
export async function record(args: RecordArgs): Promise<number> {
  const out = await OtlpJsonLinesWriter.open(args.out, { append: true });
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
  // A receiver cannot wait for the disk: the stream buffers what the file has not taken yet.
  receiver.onDidReceive(({ batch }) => void out.write(batch.spans));
  const addresses = await receiver.start();
  const a = (x: { host: string; port: number } | undefined) => (x ? formatHostPort(x.host, x.port) : 'off');
  process.stdout.write(`listening http=${a(addresses.http)} grpc=${a(addresses.grpc)}\n`);

  await new Promise<void>(resolve => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await receiver.dispose();
  const writeError = await out.close().then(
    () => undefined,
    (err: Error) => err,
  );
  const s = receiver.stats();
  log(`stopped: ${s.spans} spans in ${s.traceRequests} requests written to ${args.out}`);
  if (writeError) {
    process.stderr.write(`msgtrace: could not write ${args.out}: ${writeError.message}\n`);
    return 1;
  }
  return 0;
}
