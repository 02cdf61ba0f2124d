// A child process for the journal crash test (journalCrash.ts): an OtlpReceiver whose batches are appended to a
// SpanJournal: with `written` as the last argument wired as the extension wires it (host/storage/journalService.ts:
// appendBody on every batch, each answer held until the journal has written the request); without it, the
// earlier wiring that answered at once (kept to show what the wait buys).
// Prints `listening http=127.0.0.1:PORT` when ready; meant to be killed.
import { ingestOrigin } from '../../../extension/src/receiver/ingestConnection';
import { OtlpReceiver } from '../../../extension/src/receiver/otlpReceiver';
import { SpanJournal } from '../../../extension/src/storage/spanJournal';

async function main(): Promise<void> {
  const [dir, mode] = process.argv.slice(2);
  const journal = new SpanJournal({ dir: dir!, maxBytes: 2 * 1024 * 1024 * 1024 });
  await journal.ready;
  const receiver = new OtlpReceiver({ httpPort: 0, grpcPort: null });
  receiver.onDidReceive(received => {
    journal.appendBody(received.batch.columns.body, 'protobuf', ingestOrigin(received));
    if (mode === 'written') received.waitUntil(journal.written());
  });
  const a = await receiver.start();
  process.stdout.write(`listening http=127.0.0.1:${a.http!.port}\n`);
}

void main();
