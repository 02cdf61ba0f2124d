// `msgtrace record`: run the receiver without VS Code and append every request it decodes to a file as one
// OTLP/JSON ExportTraceServiceRequest per line (the OpenTelemetry Collector file exporter's format). Each line is
// written from the request's bytes (storage/otlpJsonLinesWriter.ts writeRequest), never from Span objects, in
// slices after the request is answered; senders are held back only while more than MAX_PENDING_BYTES of
// requests wait for the file.
import { OtlpReceiver } from '../receiver/otlpReceiver';
import { OtlpJsonLinesWriter } from '../storage/otlpJsonLinesWriter';
import { type ReceiverCliArgs, UsageError, listeningLine, parseReceiverArgs, startForward, stderrLogger, untilStopped } from './cliOptions';

/** Request bytes that may wait for the file before the receiver holds its answers back (one request at the 64 MiB limit passes). */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export interface RecordArgs extends ReceiverCliArgs {
  readonly out: string;
}

/** Parses `record` options; throws UsageError with a message for the user on bad input. */
export function parseRecordArgs(argv: readonly string[]): RecordArgs {
  let out: string | undefined;
  const common = parseReceiverArgs(argv, (flag, value) => {
    if (flag !== '--out') return false;
    out = value();
    if (!out) throw new UsageError('--out needs a file name');
    return true;
  });
  if (!out) throw new UsageError('--out FILE is required');
  return { ...common, out };
}

/** Runs until SIGINT/SIGTERM; resolves with the exit code once the file is flushed. */
export async function record(args: RecordArgs): Promise<number> {
  const out = await OtlpJsonLinesWriter.open(args.out, { append: true });
  const log = stderrLogger(args.quiet);
  const receiver = new OtlpReceiver({ host: args.host, httpPort: args.httpPort, grpcPort: args.grpcPort, allowNonLoopback: true, logger: log });
  const writing = receiver.onDidReceive(received => {
    // Answered now unless the file lags; the line is written after the answer (a JSON request from the protobuf
    // it was checked into: its canonical OTLP/JSON, never its text as sent).
    received.waitUntil(out.whenPendingAtMost(MAX_PENDING_BYTES));
    void out.writeRequest(received.batch.columns.body);
  });
  const forward = startForward(receiver, args.forward, log);
  process.stdout.write(listeningLine(await receiver.start()));
  await untilStopped();
  await receiver.dispose();
  writing.dispose();
  await forward?.finish();
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
