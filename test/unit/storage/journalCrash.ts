// Issue 18 item 5: SIGKILL a process that journals every request it acknowledges (journalChild.ts), right after
// an acknowledgement in the middle of heavy ingest; replay the journal afterwards and compare with what the
// senders saw acknowledged. Used by journalCrash.test.ts and the stress suite (test/stress).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanJournal } from '../../../extension/src/storage/spanJournal';
import { msgfluxRequest, spanIds } from '../receiver/msgfluxBodies';

const CHILD = join(process.cwd(), 'out/test/unit/storage/journalChild.js');

export interface CrashResult {
  readonly acknowledged: number;
  readonly replayed: number;
  /** Acknowledged spans the replay does not have. */
  readonly missing: number;
  /** Replayed spans never acknowledged (of requests in flight at the kill). */
  readonly extra: number;
  /** Requests in flight at the kill, of `batch` spans each. */
  readonly inFlight: number;
  readonly batch: number;
}

/** `today`: the journal wired as the extension wires it; `written`: each answer held until the journal wrote the request. */
export async function killDuringIngest(mode: 'today' | 'written', ingestMs: number): Promise<CrashResult> {
  const dir = mkdtempSync(join(tmpdir(), 'msgtrace-journal-'));
  const child = spawn(process.execPath, [CHILD, join(dir, 'journal'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening http=127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', code => reject(new Error(`journal child exited (${code})`)));
    });
    const batch = 500;
    const acknowledged = new Set<string>();
    let next = 0;
    let inFlight = 0;
    let killed = false;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const post = (first: number) =>
      new Promise<boolean>(resolve => {
        const body = msgfluxRequest(batch, first);
        const req = http.request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length } }, res => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200));
          res.on('error', () => resolve(false));
        });
        req.on('error', () => resolve(false));
        req.end(body);
      });
    let atKill = 0;
    let armed = false;
    const senders = Array.from({ length: 8 }, async () => {
      while (!killed) {
        const first = next;
        next += batch;
        inFlight++;
        const ok = await post(first);
        inFlight--;
        // An answer read after the kill was still sent before it: acknowledged like any other.
        if (ok) for (let i = first; i < first + batch; i++) acknowledged.add(spanIds(i).spanId.toString('hex'));
        // The worst moment: right after an acknowledgement, before a journal on a timer has written it.
        if (ok && armed && !killed) {
          killed = true;
          atKill = inFlight;
          child.kill('SIGKILL');
        }
      }
    });
    await new Promise(r => setTimeout(r, ingestMs));
    armed = true;
    await Promise.all(senders);
    agent.destroy();
    const journal = new SpanJournal({ dir: join(dir, 'journal'), maxBytes: 2 * 1024 * 1024 * 1024 });
    const replayed = new Set<string>();
    await journal.replay(b => {
      for (const s of b.spans) replayed.add(s.spanId);
    });
    await journal.close();
    let missing = 0;
    for (const id of acknowledged) if (!replayed.has(id)) missing++;
    let extra = 0;
    for (const id of replayed) if (!acknowledged.has(id)) extra++;
    return { acknowledged: acknowledged.size, replayed: replayed.size, missing, extra, inFlight: atKill, batch };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
