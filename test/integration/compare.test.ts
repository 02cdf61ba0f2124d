// Comparing two runs, with real traffic: the example agent under F5 twice (the real JavaScript debugger), the
// second time with another country (question, tool arguments, tool result, answer change) and a slower tool;
// then "Compare with Previous Run" from the explorer's command, and the comparison the timeline opens.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareRuns } from '../../extension/src/core/compare/compareRuns';
import { Change } from '../../extension/src/core/compare/comparison';
import { diffPair } from '../../extension/src/core/compare/pairDiff';
import type { Run } from '../../extension/src/core/store/run';
import type { MsgtraceApi } from '../../extension/src/extension';
import { Commands, Settings, SettingsSection } from '../../extension/src/host/ids';
import { api, runAgent, runOfSession, until } from './support';

describe('Compare runs (two F5 runs of examples/agent.mjs)', () => {
  let a: MsgtraceApi;
  let first: Run;
  let second: Run;
  const config = () => vscode.workspace.getConfiguration(SettingsSection);

  before(async function () {
    this.timeout(180_000);
    a = await api();
    await config().update(Settings.captureToolCallResponses, true, vscode.ConfigurationTarget.Global);
    const name = 'Compare agent';
    await runAgent(name, { EXAMPLE_COUNTRY: 'France', EXAMPLE_TOOL_DELAY_MS: '5' });
    first = await until('the first run with all its spans', () => {
      const r = runOfSession(a, name);
      return r && r.spanCount >= 14 && r;
    });
    await runAgent(name, { EXAMPLE_COUNTRY: 'Brazil', EXAMPLE_TOOL_DELAY_MS: '150' });
    second = await until('the second run with all its spans', () => {
      const r = runOfSession(a, name);
      return r && r !== first && r.spanCount >= first.spanCount && r;
    });
    a.store.flush();
  });

  after(async () => {
    await config().update(Settings.captureToolCallResponses, undefined, vscode.ConfigurationTarget.Global);
  });

  it('aligns every span of the two runs and finds exactly what the variation changed', async () => {
    const comparison = await compareRuns({ store: a.store, run: first }, { store: a.store, run: second });
    assert.ok(comparison);
    const { alignment, changes, summary } = comparison;
    assert.equal(summary.onlyA, 0, 'nothing only in the first run');
    assert.equal(summary.onlyB, 0, 'nothing only in the second run');
    assert.equal(summary.matched, first.spanCount);
    const changed = (name: string) => {
      const i = [...alignment.rowA].findIndex(row => a.store.rows.name(row) === name);
      assert.ok(i >= 0, `${name} is aligned`);
      return { bits: changes[i]!, diff: diffPair(alignment, changes, i) };
    };
    const tool = changed('Get Capital');
    assert.ok(tool.bits & Change.toolArguments, 'tool arguments changed (France → Brazil)');
    assert.ok(tool.bits & Change.toolResult, 'tool result changed (Paris → Brasilia)');
    assert.ok(tool.bits & Change.duration, 'the tool became slower (5 → 150 ms)');
    assert.match(tool.diff.toolResult?.a ?? '', /Paris/);
    assert.match(tool.diff.toolResult?.b ?? '', /Brasilia/);
    const flow = changed('My Agent');
    assert.ok(flow.bits & Change.attributes, 'the agent response attribute changed');
    // The pipeline and the exploder do not depend on the variation.
    const pipeline = changed('Pipeline');
    assert.equal(pipeline.bits & (Change.attributes | Change.status | Change.messages | Change.toolResult), 0);
    const exploder = changed('Exploder');
    assert.equal(exploder.bits & Change.status, 0, 'the exploder fails in both runs');
  });

  it('"Compare with Previous Run" on the second run opens the comparison with the first', async () => {
    const opened = await vscode.commands.executeCommand<boolean>(Commands.compareWithPrevious, second);
    assert.equal(opened, true);
    const shown = await until('the timeline to show the comparison', () => {
      const c = a.timeline.comparison;
      return c && c.runIdA === first.id && c.runIdB === second.id && c;
    });
    assert.ok(shown);
  });

  it('`msgtrace diff` on the two runs exported from the explorer finds the same changes, and the slower tool crosses a threshold', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msgtrace-compare-'));
    try {
      const fileA = vscode.Uri.file(path.join(dir, 'a.jsonl'));
      const fileB = vscode.Uri.file(path.join(dir, 'b.jsonl'));
      await vscode.commands.executeCommand(Commands.exportRun, first, fileA);
      await vscode.commands.executeCommand(Commands.exportRun, second, fileB);
      const cli = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
      const run = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>(resolve =>
          execFile(process.execPath, [cli, 'diff', ...args], (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr })),
        );
      const json = await run('--json', fileA.fsPath, fileB.fsPath);
      assert.equal(json.code, 0, json.stderr);
      const out = JSON.parse(json.stdout) as { summary: { onlyA: number; onlyB: number }; changedSpans: { path: string[]; changes: string[] }[] };
      assert.equal(out.summary.onlyA + out.summary.onlyB, 0);
      const tool = out.changedSpans.find(s => s.path.at(-1) === 'Get Capital');
      assert.ok(tool, json.stdout);
      assert.ok(tool.changes.includes('tool arguments') && tool.changes.includes('tool result'), tool.changes.join(','));
      // The tool went from 5 to 150 ms: the run's total time grows by far more than 1 %.
      const slower = await run(fileA.fsPath, fileB.fsPath, '--max-duration-increase', '1%');
      assert.equal(slower.code, 1, slower.stdout + slower.stderr);
      assert.match(slower.stderr, /threshold crossed: total time .* limit 1 %/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the first run has no previous run: the command says so and opens nothing', async () => {
    const opened = await vscode.commands.executeCommand<boolean>(Commands.compareWithPrevious, first);
    assert.equal(opened, false);
  });
});
