// `msgtrace serve`: the receiver plus the timeline page on loopback, for a browser outside VS Code. The page is
// the same webview bundle; it talks to a TimelineSession over a WebSocket with the same protocol messages the
// VS Code panel uses. `/?compare=A,B` is the page showing the comparison of runs A and B (the page reads the
// address and asks for it; the server starts computing it as soon as the page is requested). The page gets the
// same strict Content-Security-Policy as the webview (nonce scripts, no inline anything, no remote content), and
// only the two media files it needs are served.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { TraceStore } from '../core/store/traceStore';
import { RowKeys, RowsBuilder, buildInSlices } from '../timeline/timelineRows';
import { pageHtml } from '../timeline/pageHtml';
import { PreparedComparison } from '../timeline/comparisonSession';
import { BUILD_AHEAD_MIN_SPANS, TimelineSession } from '../timeline/timelineSession';
import { connectIngest } from '../receiver/ingestConnection';
import { OtlpReceiver, formatHostPort } from '../receiver/otlpReceiver';
import { FORWARD_USAGE, type ReceiverCliArgs, UsageError, listeningLine, parseReceiverArgs, portValue, startForward, stderrLogger, untilStopped } from './cliOptions';

export interface ServeArgs extends ReceiverCliArgs {
  /** Port of the page; 0 takes a free one. */
  readonly uiPort: number;
}

export interface TimelineServerOptions {
  readonly store: TraceStore;
  readonly host: string;
  readonly port: number;
  /** The folder holding timeline.css and dist/webview.js; found next to the CLI when absent. */
  readonly mediaDir?: string;
  readonly log?: (message: string) => void;
}

export interface TimelineServer {
  /** `http://HOST:PORT/` */
  readonly url: string;
  readonly sessions: number;
  close(): Promise<void>;
}

/** media/ of the installed package: dist/cli.js sits one level below the package root, out/... deeper in tests. */
export function findMediaDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'media', 'dist', 'webview.js'))) return path.join(dir, 'media');
    if (path.dirname(dir) === dir) throw new Error('msgtrace: cannot find media/dist/webview.js next to the CLI');
  }
}

/** The page for one load: the timeline shell whose only connection is the WebSocket back to this server. */
export function servePageHtml(nonce: string, origin: string): string {
  return pageHtml({
    nonce,
    csp: ["style-src 'self'", "font-src 'self'", "img-src 'self' data:", `connect-src ${origin.replace(/^http/, 'ws')}`, "base-uri 'none'", "form-action 'none'"],
    styleHref: '/media/timeline.css',
    scriptSrc: '/media/dist/webview.js',
    title: 'msgtrace Timeline',
  });
}

const FILES: Record<string, { file: string; type: string }> = {
  '/media/timeline.css': { file: 'timeline.css', type: 'text/css; charset=utf-8' },
  '/media/dist/webview.js': { file: 'dist/webview.js', type: 'text/javascript; charset=utf-8' },
};

// A message holding buffers (a state's packed rows) travels over the WebSocket as one binary frame: uint32 JSON
// byte length, uint32 buffer count, uint32 byte length of each buffer, the JSON with each buffer replaced by
// {"$binary": index}, then the buffers, each at a multiple of 8 bytes so the page views them in place
// (webview/src/frame.ts decodes it). Messages without buffers stay JSON text frames. Span text is always a JSON
// string, so it can never turn into a buffer reference.

const pad8 = (x: number) => Math.ceil(x / 8) * 8;

/** The binary frame of a message that holds ArrayBuffers, or undefined when it holds none (send it as text). */
export function encodeFrame(message: unknown): Uint8Array | undefined {
  const buffers: Uint8Array[] = [];
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof ArrayBuffer) return { $binary: buffers.push(new Uint8Array(value)) - 1 };
    if (ArrayBuffer.isView(value)) return { $binary: buffers.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) - 1 };
    return value;
  });
  if (buffers.length === 0) return undefined;
  const text = Buffer.from(json, 'utf8');
  const head = 8 + 4 * buffers.length;
  let at = pad8(head + text.length);
  const frame = Buffer.alloc(buffers.reduce((sum, b) => sum + pad8(b.length), at));
  frame.writeUInt32LE(text.length, 0);
  frame.writeUInt32LE(buffers.length, 4);
  buffers.forEach((b, i) => frame.writeUInt32LE(b.length, 8 + 4 * i));
  text.copy(frame, head);
  for (const b of buffers) {
    frame.set(b, at);
    at += pad8(b.length);
  }
  return frame;
}

/** A page that has not connected by then gets fresh rows. */
const PREFETCH_TTL_MS = 10_000;

/** Serves the page and its WebSocket for one store until closed. */
export async function startTimelineServer(options: TimelineServerOptions): Promise<TimelineServer> {
  const mediaDir = options.mediaDir ?? findMediaDir();
  const log = options.log ?? (() => undefined);
  // A page that loads will ask for the newest run (or the comparison its address names): its rows are built while
  // the page loads (in slices, so the page's script and style are still served), and the next session takes them.
  // Any change to the store drops them, and so does waiting too long; a session without them builds its rows as
  // before. Each page load replaces the previous prefetch, so requests cannot pile up work.
  let prefetch: { builder: RowsBuilder | PreparedComparison; expires: number } | undefined;
  const dropPrefetch = () => {
    if (prefetch?.builder instanceof PreparedComparison) prefetch.builder.dispose();
    prefetch = undefined;
  };
  const storeChanges = options.store.onDidChange(dropPrefetch);
  const startPrefetch = (query: string) => {
    dropPrefetch();
    // A comparison the address asks for (the page asks the same once connected): computed while the page loads.
    const compare = comparisonOf(query);
    if (compare) {
      const store = options.store;
      if (store.getRun(compare.runIdA) && store.getRun(compare.runIdB))
        prefetch = { builder: new PreparedComparison(store, compare.runIdA, compare.runIdB), expires: Date.now() + PREFETCH_TTL_MS };
      return;
    }
    const run = options.store.runs()[0];
    if (!run || run.spanCount < BUILD_AHEAD_MIN_SPANS) return;
    const mine = { builder: new RowsBuilder(options.store, run, new RowKeys()), expires: Date.now() + PREFETCH_TTL_MS };
    prefetch = mine;
    buildInSlices(mine.builder, () => prefetch === mine);
  };
  const takePrefetch = () => {
    const p = prefetch;
    prefetch = undefined;
    if (p && p.expires > Date.now()) return p.builder;
    if (p?.builder instanceof PreparedComparison) p.builder.dispose();
    return undefined;
  };
  let origin = '';
  const allowedHosts = new Set<string>();
  const server = http.createServer((req, res) => {
    // A page on loopback can still be reached through DNS rebinding: answer only requests addressed to us.
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request');
      return;
    }
    const [url = '/', query = ''] = (req.url ?? '/').split('?', 2);
    // frame-ancestors works only as a header, not in the page's meta policy.
    const headers = {
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "frame-ancestors 'none'",
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (url === '/' || url === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(servePageHtml(nonce, origin));
      if (req.method === 'GET') startPrefetch(query);
      return;
    }
    if (url === '/favicon.ico') {
      res.writeHead(204, headers).end();
      return;
    }
    const entry = FILES[url];
    if (!entry) {
      res.writeHead(404, headers).end();
      return;
    }
    fs.readFile(path.join(mediaDir, entry.file), (err, data) => {
      if (err) res.writeHead(500, headers).end();
      else res.writeHead(200, { ...headers, 'content-type': entry.type }).end(data);
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    // Only our own page may connect: another site open in the browser could otherwise read every span.
    if (req.url !== '/ws' || req.headers.origin !== origin || !allowedHosts.has(req.headers.host ?? '')) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, ws => {
      sockets.add(ws);
      const session = new TimelineSession(
        options.store,
        {
          post: message => {
            if (ws.readyState !== ws.OPEN) return;
            // A state's packed rows go as one binary frame; every other message as JSON text.
            const frame = encodeFrame(message);
            ws.send(frame ?? JSON.stringify(message), { binary: frame !== undefined });
          },
          warn: log,
        },
        undefined,
        takePrefetch(),
      );
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let message: unknown;
        try {
          message = JSON.parse(String(data));
        } catch {
          log('timeline page sent text that is not JSON');
          return;
        }
        session.handle(message);
      });
      ws.on('close', () => {
        sockets.delete(ws);
        session.dispose();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const hostPort = formatHostPort(options.host, addr.port);
  origin = `http://${hostPort}`;
  allowedHosts.add(hostPort);
  if (options.host === '127.0.0.1' || options.host === '::1') allowedHosts.add(`localhost:${addr.port}`);
  return {
    url: `${origin}/`,
    get sessions() {
      return sockets.size;
    },
    close: async () => {
      dropPrefetch();
      storeChanges.dispose();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** The runs of `compare=A,B` in a query string, as the page reads them (webview/src/main.ts). */
export function comparisonOf(query: string): { runIdA: number; runIdB: number } | undefined {
  const m = /^(\d{1,15}),(\d{1,15})$/.exec(new URLSearchParams(query).get('compare') ?? '');
  return m ? { runIdA: Number(m[1]), runIdB: Number(m[2]) } : undefined;
}

/** Runs until SIGINT/SIGTERM. */
export async function serve(args: ServeArgs): Promise<number> {
  const log = stderrLogger(args.quiet);
  const store = new TraceStore();
  const receiver = new OtlpReceiver({ host: args.host, httpPort: args.httpPort, grpcPort: args.grpcPort, allowNonLoopback: true, logger: log });
  // Wired as in the extension, so a program that posts to a session path gets its runs kept apart here too.
  const ingest = connectIngest(receiver, store, log);
  const forward = startForward(receiver, args.forward, log);
  const addresses = await receiver.start();
  const page = await startTimelineServer({ store, host: args.host, port: args.uiPort, log });
  process.stdout.write(listeningLine(addresses));
  process.stdout.write(`open ${page.url}\n`);
  await untilStopped();
  await page.close();
  await receiver.dispose();
  ingest.dispose();
  await forward?.finish();
  store.dispose();
  return 0;
}

export const SERVE_USAGE = `usage: msgtrace serve [--host HOST] [--http-port N] [--grpc-port M] [--ui-port P] [--forward URL] [--quiet]

Receives OTLP traces like \`msgtrace record\` and shows them in the timeline page on HOST:P. When ready it prints:
  listening http=HOST:PORT grpc=HOST:PORT
  open http://HOST:P/
In the page, "Compare…" compares two runs; http://HOST:P/?compare=A,B opens the comparison of runs A and B.
options: --host (default 127.0.0.1), --http-port (4318), --grpc-port (4317), --ui-port (0: a free port), --quiet
${FORWARD_USAGE}`;

/** Parses `serve` options; throws UsageError with a message for the user on bad input. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  let uiPort = 0;
  const common = parseReceiverArgs(argv, (flag, value) => {
    if (flag !== '--ui-port') return false;
    uiPort = portValue(flag, value());
    return true;
  });
  return { ...common, uiPort };
}

/** The `serve` subcommand: parse, then run; 2 on a usage error. */
export async function serveMain(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`msgtrace: ${err.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  return serve(args);
}
