// Retention under load (issue 18 item 3): 3M spans into `msgtrace serve` with the default limits (500k spans /
// 512 MiB), its RSS sampled as they arrive. The row holds when RSS stops growing once retention drops old runs
// (the last third of the samples within 10 % of the middle third) and stays under 1 GiB; whether the page says
// how many spans were dropped is not checked here yet.
import * as http from 'node:http';
import { msgfluxRequest } from '../unit/receiver/msgfluxBodies';
import { startCli } from './cliProcess';
import { type StressRow, held, mb, n } from './table';

const MiB = 1024 * 1024;

export async function retentionRows(totalSpans: number, maxSeconds: number): Promise<StressRow[]> {
  const p = await startCli(['serve', '--http-port', '0', '--grpc-port', '0', '--ui-port', '0', '--quiet']);
  try {
    await p.reset();
    const batch = 2_048;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const samples: { spans: number; rss: number }[] = [];
    let sent = 0;
    let failed = 0;
    const deadline = performance.now() + maxSeconds * 1000;
    const post = (body: Buffer) =>
      new Promise<number>(resolve => {
        const req = http.request({ host: '127.0.0.1', port: p.httpPort, path: '/v1/traces', method: 'POST', agent, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length } }, res => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(-1));
        req.end(body);
      });
    let next = 0;
    const sampler = setInterval(() => void p.report().then(r => samples.push({ spans: sent, rss: r.rssBytes })), 500);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < totalSpans && performance.now() < deadline) {
          const first = next;
          next += batch;
          // A new service name every 100k spans: separate runs, which retention drops whole, oldest first.
          const status = await post(msgfluxRequest(batch, first, `retention-${Math.floor(first / 100_000)}`));
          if (status === 200) sent += batch;
          else failed++;
        }
      }),
    );
    clearInterval(sampler);
    agent.destroy();
    const last = await p.report();
    samples.push({ spans: sent, rss: last.rssBytes });
    const third = Math.floor(samples.length / 3);
    const peak = (xs: { rss: number }[]) => Math.max(...xs.map(s => s.rss), 0);
    const middle = peak(samples.slice(third, 2 * third));
    const end = peak(samples.slice(2 * third));
    const complete = sent >= totalSpans;
    const flat = end <= middle * 1.1;
    const peakRss = last.peakRssBytes;
    return [
      {
        row: `retention: ${n(totalSpans)} spans into serve, RSS sampled`,
        status: !complete ? 'not measured yet' : held(flat && peakRss < 1024 * MiB),
        figures: `${n(sent)} spans sent in ${maxSeconds} s at most (${failed} requests failed); RSS: ${mb(middle / MiB)} at the middle third, ${mb(end / MiB)} at the end, peak ${mb(peakRss / MiB)}; the page's count of dropped spans is not checked yet`,
        open: 'item 3',
      },
    ];
  } finally {
    await p.stop('SIGKILL');
  }
}
