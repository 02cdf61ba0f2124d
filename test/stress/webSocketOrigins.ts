// The timeline page's WebSocket under `msgtrace serve` answers only its own page: a foreign Origin, the `null`
// Origin of a sandboxed or file page, a missing Origin, and a rebound Host are refused with 403.
import WebSocket from 'ws';
import { startCli } from './cliProcess';
import { type StressRow, held } from './table';

function tryConnect(url: string, headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise(resolve => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', () => resolve(-1));
  });
}

export async function webSocketRows(): Promise<StressRow[]> {
  const p = await startCli(['serve', '--http-port', '0', '--grpc-port', '0', '--ui-port', '0', '--quiet'], { probe: false });
  try {
    const page = new URL(p.pageUrl!);
    const ws = `ws://${page.host}/ws`;
    const own = await tryConnect(ws, { Origin: page.origin });
    const cases: [string, Record<string, string>][] = [
      ['foreign', { Origin: 'http://evil.example' }],
      ['null', { Origin: 'null' }],
      ['missing', {}],
      ['same port, other host', { Origin: `http://localhost.evil.example:${page.port}` }],
      ['rebound Host', { Origin: page.origin, Host: `evil.example:${page.port}` }],
    ];
    const results = await Promise.all(cases.map(async ([name, headers]) => [name, await tryConnect(ws, headers)] as const));
    return [
      {
        row: "serve's WebSocket refuses foreign, null and missing Origins",
        status: held(own === 'open' && results.every(([, r]) => r === 403)),
        figures: `own page: ${own}; ${results.map(([name, r]) => `${name}: ${r}`).join(', ')}`,
      },
    ];
  } finally {
    await p.stop('SIGKILL');
  }
}
