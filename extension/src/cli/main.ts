// The `msgtrace` command line (package.json "bin"), built to dist/cli.js.
import { FORWARD_USAGE, UsageError } from './cliOptions';
import { diffMain } from './diffCommand';
import { type RecordArgs, parseRecordArgs, record } from './recordCommand';
import { serveMain } from './serveCommand';

export const USAGE = `usage: msgtrace record [--host HOST] [--http-port N] [--grpc-port M] --out FILE [--forward URL] [--quiet]

Receives OTLP traces (HTTP protobuf/JSON on --http-port, gRPC on --grpc-port) and appends every request to
FILE as one OTLP/JSON ExportTraceServiceRequest per line (the OpenTelemetry Collector file exporter format).
Port 0 picks a free port; a taken port falls back to a free one. When ready it prints one line:
  listening http=HOST:PORT grpc=HOST:PORT
SIGINT or SIGTERM finishes writing and exits 0.

options:
  --host HOST       interface to listen on (default 127.0.0.1)
  --http-port N     OTLP/HTTP port (default 4318)
  --grpc-port M     OTLP/gRPC port (default 4317)
  --out FILE        file to append to (required)
  --quiet           no log lines on stderr
${FORWARD_USAGE}  -h, --help        this text
`;

/** What `msgtrace` alone or `msgtrace --help` prints: the commands; each command has its own --help. */
export const OVERVIEW = `usage: msgtrace <command> [options]

commands:
  record   receive OTLP traces and write them to a file as OTLP/JSON lines
  serve    receive OTLP traces and show them on a timeline page in the browser
  diff     compare a run of one OTLP/JSON file with a run of another (for CI: exit 1 past thresholds)

msgtrace <command> --help describes a command's options.

${USAGE}`;

export async function main(argv: readonly string[]): Promise<number> {
  // A command handles its own --help; without one, help is the overview.
  if (argv[0] === 'serve') return serveMain(argv.slice(1));
  if (argv[0] === 'diff') return diffMain(argv.slice(1));
  if (argv[0] === 'record' && (argv.includes('--help') || argv.includes('-h'))) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(OVERVIEW);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] !== 'record') {
    process.stderr.write(`msgtrace: unknown command ${argv[0]}\n\n${OVERVIEW}`);
    return 2;
  }
  let args: RecordArgs;
  try {
    args = parseRecordArgs(argv.slice(1));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`msgtrace: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  return record(args);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`msgtrace: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
