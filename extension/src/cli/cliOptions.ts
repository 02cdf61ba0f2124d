// What `msgtrace record` and `msgtrace serve` share: the receiver's options, their parsing, the log on stderr
// and the one `listening …` line on stdout that scripts wait for.
import type { ReceiverAddresses } from '../receiver/otlpReceiver';
import { formatHostPort } from '../receiver/otlpReceiver';
import type { ReceiverLogger } from '../receiver/receiverOptions';

/** A usage mistake: the command prints it with its usage and exits 2. */
export class UsageError extends Error {}

export interface ReceiverCliArgs {
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly quiet: boolean;
}

export function portValue(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`${flag} needs a port number 0-65535, got ${v ?? 'nothing'}`);
  return Number(v);
}

/**
 * Parses --host, --http-port, --grpc-port and --quiet (also as --flag=value); any other flag goes to `other`,
 * which returns false for flags it does not know either.
 */
export function parseReceiverArgs(argv: readonly string[], other: (flag: string, value: () => string | undefined) => boolean = () => false): ReceiverCliArgs {
  let host = '127.0.0.1';
  let httpPort = 4318;
  let grpcPort = 4317;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--host': {
        const v = value();
        if (!v) throw new UsageError('--host needs a value');
        host = v;
        break;
      }
      case '--http-port':
        httpPort = portValue(flag, value());
        break;
      case '--grpc-port':
        grpcPort = portValue(flag, value());
        break;
      case '--quiet':
        quiet = true;
        break;
      default:
        if (!other(flag, value)) throw new UsageError(`unknown option ${a}`);
    }
  }
  return { host, httpPort, grpcPort, quiet };
}

/** The receiver's log lines on stderr, unless --quiet. */
export function stderrLogger(quiet: boolean): ReceiverLogger & { (message: string): void } {
  const log = (m: string) => {
    if (!quiet) process.stderr.write(`msgtrace: ${m}\n`);
  };
  return Object.assign(log, { info: log, warn: log, error: log });
}

/** `listening http=HOST:PORT grpc=HOST:PORT`: printed once, when both servers accept connections. */
export function listeningLine(addresses: ReceiverAddresses): string {
  const a = (x: { host: string; port: number } | undefined) => (x ? formatHostPort(x.host, x.port) : 'off');
  return `listening http=${a(addresses.http)} grpc=${a(addresses.grpc)}\n`;
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilStopped(): Promise<void> {
  return new Promise<void>(resolve => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
