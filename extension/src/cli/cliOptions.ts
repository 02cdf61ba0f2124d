// What `msgtrace record` and `msgtrace serve` share: the receiver's options, their parsing, the log on stderr
// and the one `listening …` line on stdout that scripts wait for.
import { type AcknowledgedRequests, connectForward } from '../forward/forwardConnection';
import { ForwardConfigError, type ForwardProtocol, resolveForwardOptions } from '../forward/forwardOptions';
import { Forwarder, describeForwardStats } from '../forward/forwarder';
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
  /** --forward: every accepted request also goes to this OTLP endpoint (docs/forward.md). */
  readonly forward?: ForwardCliArgs;
}

export interface ForwardCliArgs {
  readonly endpoint: string;
  readonly protocol: ForwardProtocol;
  readonly headers: Readonly<Record<string, string>>;
}

/** The forwarding flags, for the --help of `record` and `serve`. */
export const FORWARD_USAGE = `  --forward URL     also send every accepted request, unchanged, to this OTLP endpoint (a team backend):
                    an http(s) URL for http/protobuf; host:port (https://host:port for TLS) for grpc.
                    At exit it waits up to 5 s for what is queued, then prints what was sent and lost
  --forward-protocol P
                    http/protobuf (default) or grpc
  --forward-header K=V
                    a header (gRPC: metadata) for the endpoint, repeatable; V = \${env:NAME} reads the
                    value from the environment, which keeps a token out of the process list
`;

export function portValue(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`${flag} needs a port number 0-65535, got ${v ?? 'nothing'}`);
  return Number(v);
}

/**
 * Parses --host, --http-port, --grpc-port, --quiet and the --forward flags (also as --flag=value); any other flag goes to `other`,
 * which returns false for flags it does not know either.
 */
export function parseReceiverArgs(argv: readonly string[], other: (flag: string, value: () => string | undefined) => boolean = () => false): ReceiverCliArgs {
  let host = '127.0.0.1';
  let httpPort = 4318;
  let grpcPort = 4317;
  let quiet = false;
  let forwardEndpoint: string | undefined;
  let forwardProtocol: ForwardProtocol | undefined;
  const forwardHeaders: Record<string, string> = {};
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
      case '--forward':
        forwardEndpoint = value();
        if (!forwardEndpoint) throw new UsageError('--forward needs an OTLP endpoint');
        break;
      case '--forward-protocol': {
        const v = value();
        if (v !== 'http/protobuf' && v !== 'grpc') throw new UsageError(`--forward-protocol must be http/protobuf or grpc, got ${v ?? 'nothing'}`);
        forwardProtocol = v;
        break;
      }
      case '--forward-header': {
        const [name, header] = headerValue(value());
        forwardHeaders[name] = header;
        break;
      }
      default:
        if (!other(flag, value)) throw new UsageError(`unknown option ${a}`);
    }
  }
  if (!forwardEndpoint) {
    if (forwardProtocol || Object.keys(forwardHeaders).length) throw new UsageError('--forward-protocol and --forward-header need --forward URL');
    return { host, httpPort, grpcPort, quiet };
  }
  const forward = { endpoint: forwardEndpoint, protocol: forwardProtocol ?? 'http/protobuf', headers: forwardHeaders };
  try {
    resolveForwardOptions(forward);
  } catch (err) {
    if (err instanceof ForwardConfigError) throw new UsageError(err.message);
    throw err;
  }
  return { host, httpPort, grpcPort, quiet, forward };
}

/** `K=V` of --forward-header, V being `${env:NAME}` for a value from the environment. */
function headerValue(v: string | undefined): [string, string] {
  const eq = v?.indexOf('=') ?? -1;
  if (!v || eq <= 0) throw new UsageError(`--forward-header needs NAME=VALUE, got ${v ?? 'nothing'}`);
  const name = v.slice(0, eq).trim();
  const value = v.slice(eq + 1);
  const env = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value)?.[1];
  if (env === undefined) return [name, value];
  const fromEnv = process.env[env];
  if (fromEnv === undefined) throw new UsageError(`--forward-header ${name}: the environment has no ${env}`);
  return [name, fromEnv];
}

/** How long `record` and `serve` wait at exit for queued requests to reach the forward endpoint. */
export const FORWARD_FLUSH_MS = 5000;

/**
 * Tees `receiver` into a Forwarder when --forward was given; `finish()` (at exit, after the receiver stopped)
 * waits up to FORWARD_FLUSH_MS for the queue and logs what was sent, dropped and failed.
 */
export function startForward(receiver: AcknowledgedRequests, args: ForwardCliArgs | undefined, log: ReceiverLogger & ((message: string) => void)): { finish(): Promise<void> } | undefined {
  if (!args) return undefined;
  const forwarder = new Forwarder({ ...args, logger: log });
  const tee = connectForward(receiver, () => forwarder);
  log(`forwarding every accepted request to ${forwarder.options.target.display}`);
  return {
    async finish() {
      tee.dispose();
      if (!(await forwarder.flush(FORWARD_FLUSH_MS))) log(`forward: what was queued did not all go out within ${FORWARD_FLUSH_MS / 1000} s`);
      forwarder.dispose();
      log(describeForwardStats(forwarder.stats()));
    },
  };
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
