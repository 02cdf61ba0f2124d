// Connection floods into `msgtrace record` (docs/receiver.md#connection-limits): 2,000 idle keep-alive sockets
// must be capped while a real exporter is served; 1,000 silent sockets must be closed after the headers
// timeout (10 s), on HTTP and gRPC.
import * as net from 'node:net';
import { msgfluxRequest } from '../unit/receiver/msgfluxBodies';
import { grpcExport, postBody } from './bigBody';
import { startCli } from './cliProcess';
import { type StressRow, held, ms, n } from './table';

function connect(port: number): Promise<net.Socket | undefined> {
  return new Promise(resolve => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', () => resolve(undefined));
    s.on('close', () => resolve(undefined));
  });
}

function keepAliveRequest(socket: net.Socket): Promise<boolean> {
  return new Promise(resolve => {
    const onData = (d: Buffer) => {
      socket.off('data', onData);
      resolve(d.toString('latin1').startsWith('HTTP/1.1 200'));
    };
    socket.on('data', onData);
    socket.once('close', () => resolve(false));
    socket.write('POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n');
  });
}

const HEADERS_TIMEOUT_MS = 10_000;

export async function connectionRows(): Promise<StressRow[]> {
  const p = await startCli(['record', '--http-port', '0', '--grpc-port', '0', '--quiet', '--out', '/dev/null']);
  const sockets: net.Socket[] = [];
  try {
    const body = msgfluxRequest(10);
    // 2,000 keep-alive sockets, each with one answered request, then idle.
    let answered = 0;
    let served = 0;
    let exporterRequests = 0;
    for (let i = 0; i < 2_000; i++) {
      const s = await connect(p.httpPort);
      if (!s) continue;
      s.on('error', () => undefined);
      sockets.push(s);
      if (await keepAliveRequest(s)) answered++;
      if (i % 100 === 99) {
        exporterRequests++;
        if ((await postBody(p.httpPort, body, 'application/x-protobuf')) === 200) served++;
      }
    }
    await new Promise(r => setTimeout(r, 300));
    const open = sockets.filter(s => !s.destroyed && !s.closed).length;
    for (const s of sockets.splice(0)) s.destroy();

    // 1,000 silent sockets on each transport: connected, never a byte. Each one's close is awaited from the
    // start (the gate may close the first ones while the last are still connecting) and timed from its connect:
    // over the cap the longest-idle ones are closed to make room, the rest at the headers timeout.
    const silentRow = async (port: number) => {
      const lifetimes = await Promise.all(
        Array.from(
          { length: 1_000 },
          () =>
            new Promise<number>(resolve => {
              let connectedAt = performance.now();
              const s = net.connect(port, '127.0.0.1', () => (connectedAt = performance.now()));
              sockets.push(s);
              s.on('error', () => undefined);
              s.once('close', () => resolve(performance.now() - connectedAt));
              s.resume();
            }),
        ),
      );
      const timedOut = lifetimes.filter(t => t >= HEADERS_TIMEOUT_MS - 500);
      return { count: lifetimes.length, evicted: lifetimes.length - timedOut.length, longest: Math.max(...lifetimes) };
    };
    const [httpSilent, grpcSilent, grpcServed] = await Promise.all([silentRow(p.httpPort), silentRow(p.grpcPort), new Promise(r => setTimeout(r, 2_000)).then(() => grpcExport(p.grpcPort, body))]);
    return [
      {
        row: '2,000 idle keep-alive sockets into record',
        status: held(open <= 256 && served === exporterRequests),
        figures: `${n(answered)} answered, ${n(open)} still open afterwards (cap 256: the longest idle closed to make room); a real exporter's ${exporterRequests} requests meanwhile: ${served} answered 200`,
      },
      {
        row: '1,000 silent sockets each on HTTP and gRPC',
        // Node checks its headers timeout every second; the gate's own timer fires at the timeout.
        status: held(httpSilent.longest < HEADERS_TIMEOUT_MS + 2_500 && grpcSilent.longest < HEADERS_TIMEOUT_MS + 2_500 && grpcServed === 200),
        figures: `HTTP: ${n(httpSilent.evicted)} closed at the cap to make room, the others after at most ${ms(httpSilent.longest)}; gRPC: ${n(grpcSilent.evicted)} at the cap, the others after at most ${ms(grpcSilent.longest)} (headers timeout 10 s); a gRPC export meanwhile: ${grpcServed === 200 ? 'OK' : grpcServed}`,
      },
    ];
  } finally {
    for (const s of sockets) s.destroy();
    await p.stop('SIGKILL');
  }
}
