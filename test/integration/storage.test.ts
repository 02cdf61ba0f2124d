// The journal and export/import inside real VS Code: export a run to a file, clear, import it back; and what a
// window reload does (journal closed, store emptied, journal replayed), through the API's journal.reload().
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Run } from '../../extension/src/core/store/run';
import type { MsgtraceApi } from '../../extension/src/extension';
import { Commands } from '../../extension/src/host/ids';
import type { ImportSummary } from '../../extension/src/host/storage/storageCommands';
import { api, fixtures, until } from './support';




/** Every span of a run as "traceId/spanId name", sorted. */
function spanKeys(a: MsgtraceApi, run: Run): string[] {
  return Array.from(a.store.flatten(run).rows)
    .flatMap(row => {
      const span = a.store.rows.span(row);
      return span ? [`${span.traceId}/${span.spanId} ${span.name} ${span.attributes().length}`] : [];
    })
    .sort();
}

async function sendFixture(a: MsgtraceApi): Promise<Run> {
  const body = fs.readFileSync(path.join(fixtures, 'msgflux-0.1.0a23-agent-demo.pb'));
  const response = await fetch(a.receiver.tracesUrl()!, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
  assert.equal(response.status, 200);
  return until('the capture run', () => a.store.runs().find(r => r.serviceName === 'msgtrace-app' && r.spanCount === 28));
}

describe('storage: journal, export and import', () => {
  let a: MsgtraceApi;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msgtrace-storage-it-'));
  before(async () => {
    a = await api();
    a.store.clear();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exports a run to a file, clears, imports it back and finds the same spans', async () => {
    const run = await sendFixture(a);
    const before = spanKeys(a, run);
    const file = vscode.Uri.file(path.join(dir, 'run.otlp.jsonl'));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportRun, run, file);
    assert.equal(written?.fsPath, file.fsPath);
    const lines = fs.readFileSync(file.fsPath, 'utf8').trimEnd().split('\n');
    assert.ok(lines.every(l => 'resourceSpans' in (JSON.parse(l) as object)), 'one ExportTraceServiceRequest per line');

    await vscode.commands.executeCommand(Commands.clearAll);
    assert.equal(a.store.runs().length, 0);
    const [summary] = (await vscode.commands.executeCommand<ImportSummary[]>(Commands.importFile, file))!;
    assert.deepEqual({ spans: summary!.spans, accepted: summary!.accepted, error: summary!.error }, { spans: 28, accepted: 28, error: undefined });
    const imported = a.store.runs().find(r => r.spanCount === 28)!;
    assert.equal(imported.origin.transport, 'file');
    assert.deepEqual(spanKeys(a, imported), before);
  });

  it('rejects a bad file, naming the line and the problem', async () => {
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, '{"resourceSpans":[]}\n{"resourceSpans": [}\n');
    const [summary] = (await vscode.commands.executeCommand<ImportSummary[]>(Commands.importFile, vscode.Uri.file(file)))!;
    assert.match(summary!.error ?? '', /^bad\.jsonl: line 2: invalid JSON/);
  });

  it('exports everything', async () => {
    const file = vscode.Uri.file(path.join(dir, 'all.otlp.jsonl'));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportAll, file);
    assert.equal(written?.fsPath, file.fsPath);
    assert.ok(fs.statSync(file.fsPath).size > 0);
  });

  it('replays the journal after a reload: received spans come back, cleared ones do not', async function () {
    this.timeout(60_000);
    a.store.clear();
    const run = await sendFixture(a);
    const before = spanKeys(a, run);
    const result = await a.journal.reload();
    assert.equal(result?.spans, 28);
    const replayed = await until('the replayed run', () => a.store.runs().find(r => r.spanCount === 28));
    assert.equal(replayed.origin.transport, 'replay');
    assert.deepEqual(spanKeys(a, replayed), before);

    // Deleting the run reaches the journal: the next reload does not bring it back.
    await vscode.commands.executeCommand(Commands.deleteRun, replayed);
    assert.equal((await a.journal.reload())?.spans, 0);
    assert.equal(a.store.runs().length, 0);
  });
});
