// Issue 18 item 5 in the stress table: the journal crash test (test/unit/storage/journalCrash.ts) wired as the
// extension wires it (host/storage/journalService.ts): each answer held until the journal wrote the request
// (SpanJournal.written()), then SIGKILL in the middle of heavy ingest.
import { killDuringIngest } from '../unit/storage/journalCrash';
import { type StressRow, held, n } from './table';

export async function journalRows(): Promise<StressRow[]> {
  const r = await killDuringIngest('written', 4_000);
  return [
    {
      row: 'SIGKILL during ingest, journal as the extension wires it (answers wait for the write)',
      status: held(r.missing === 0 && r.acknowledged > 0 && r.extra <= r.inFlight * r.batch),
      figures: `${n(r.acknowledged)} spans acknowledged, ${n(r.replayed)} replayed: ${n(r.missing)} acknowledged but lost, ${n(r.extra)} replayed of the ${r.inFlight} requests in flight at the kill`,
    },
  ];
}
