// Issue 18 item 5 in the stress table: the journal crash test (test/unit/storage/journalCrash.ts) as the extension
// wires the journal today, and with each answer held until the journal wrote the request (SpanJournal.written()).
import { killDuringIngest } from '../unit/storage/journalCrash';
import { type StressRow, held, n } from './table';

export async function journalRows(): Promise<StressRow[]> {
  const rows: StressRow[] = [];
  for (const mode of ['today', 'written'] as const) {
    const r = await killDuringIngest(mode, 4_000);
    rows.push({
      row: mode === 'today' ? 'SIGKILL during ingest, journal as the extension wires it' : 'SIGKILL during ingest, answers held until the journal wrote them',
      status: held(r.missing === 0 && r.acknowledged > 0 && r.extra <= r.inFlight * r.batch),
      figures: `${n(r.acknowledged)} spans acknowledged, ${n(r.replayed)} replayed: ${n(r.missing)} acknowledged but lost, ${n(r.extra)} replayed of the ${r.inFlight} requests in flight at the kill`,
      ...(mode === 'today' ? { open: 'item 5: host/storage/journalService.ts to call received.waitUntil(journal.written())' } : {}),
    });
  }
  return rows;
}
