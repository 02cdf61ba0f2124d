// A stub backend on loopback: routes by path answer with fixed status, headers and body (or never answer, or
// stream forever), and every request is recorded with its query and headers.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
}

export type StubAnswer =
  | { status?: number; type?: string; body: string | Uint8Array; headers?: Record<string, string> }
  /** Accept the request and never answer. */
  | { hang: true }
  /** 200, then chunks forever. */
  | { endless: true; type?: string };

export type StubRoute = StubAnswer | ((req: StubRequest) => StubAnswer);

export interface Stub {
  readonly url: string;
  readonly requests: StubRequest[];
  /** Routes by path (without the query); a path without a route gets a 404 in Go's text, as gorilla/mux does. */
  readonly routes: Map<string, StubRoute>;
  close(): Promise<void>;
}

export async function startStub(routes: Record<string, StubRoute> = {}): Promise<Stub> {
  const requests: StubRequest[] = [];
  const table = new Map(Object.entries(routes));
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const request = { path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(request);
    const route = table.get(url.pathname);
    const answer: StubAnswer = route === undefined ? { status: 404, type: 'text/plain; charset=utf-8', body: '404 page not found\n' } : typeof route === 'function' ? route(request) : route;
    if ('hang' in answer) return;
    if ('endless' in answer) {
      res.writeHead(200, { 'content-type': answer.type ?? 'application/json' });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const pump = () => {
        if (res.destroyed) return;
        res.write(chunk, () => {
          const t = setTimeout(pump, 0);
          timers.add(t);
        });
      };
      pump();
      return;
    }
    const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : Buffer.from(answer.body);
    res.writeHead(answer.status ?? 200, { 'content-type': answer.type ?? 'application/json', 'content-length': body.length, ...answer.headers });
    res.end(body);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    routes: table,
    close: () =>
      new Promise<void>(resolve => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
