// F5 with traces: real node debug sessions (VS Code's own JavaScript debugger) of the SDK's example agent.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Run } from '../../extension/src/core/store/run';
import type { MsgtraceApi } from '../../extension/src/extension';
import { SpanFacts } from '../../extension/src/protocol/spanFacts';
import { Settings, SettingsSection } from '../../extension/src/host/ids';
import { api, runAgent, runOfSession, until } from './support';


function toolResponse(a: MsgtraceApi, run: Run): unknown {
  const tool = a.store.rows.span(a.store.flatten(run).rows.find(row => a.store.rows.name(row) === 'Get Capital') ?? -1);
  assert.ok(tool, 'the run has the Get Capital tool span');
  return tool.attributes().find(kv => kv.key === 'gen_ai.tool.response')?.value;
}

describe('F5 with traces (node debug sessions of examples/agent.mjs)', () => {
  let a: MsgtraceApi;
  const config = () => vscode.workspace.getConfiguration(SettingsSection);

  before(async function () {
    this.timeout(60_000);
    a = await api();
    await until('the receiver', () => a.receiver.running);
  });

  after(async () => {
    await config().update(Settings.captureToolCallResponses, undefined, vscode.ConfigurationTarget.Global);
  });

  it('two sessions at once send their spans to their own runs, named after the sessions', async function () {
    this.timeout(150_000);
    await config().update(Settings.captureToolCallResponses, false, vscode.ConfigurationTarget.Global);
    await Promise.all([runAgent('Agent A'), runAgent('Agent B')]);
    const [runA, runB] = await until('both runs with all their spans', () => {
      const ra = runOfSession(a, 'Agent A');
      const rb = runOfSession(a, 'Agent B');
      return ra && rb && ra.spanCount >= 14 && rb.spanCount >= 14 && ([ra, rb] as const);
    });
    assert.notEqual(runA.id, runB.id);
    assert.notEqual(runA.debugSessionId, runB.debugSessionId);
    assert.equal(runA.spanCount, runB.spanCount, 'the same program sent the same spans to each session');
    a.store.flush();
    assert.equal(a.explorer.provider.getTreeItem(runA).label, 'Agent A');
    assert.equal(a.explorer.provider.getTreeItem(runB).label, 'Agent B');
    const agentSpan = a.store.flatten(runA).rows.find(row => a.store.rows.name(row) === 'My Agent');
    assert.ok(agentSpan !== undefined && !(a.store.rows.facts(agentSpan) & SpanFacts.inferredEdge), 'the SDK nests its spans itself');
    assert.equal(toolResponse(a, runA), undefined, 'capture.toolCallResponses=false reached the program');
    console.log(`    sessions: Agent A -> run ${runA.id} (${runA.spanCount} spans), Agent B -> run ${runB.id}`);
  });

  it('the capture flags of the settings reach the program', async function () {
    this.timeout(90_000);
    await config().update(Settings.captureToolCallResponses, true, vscode.ConfigurationTarget.Global);
    await runAgent('Agent C');
    const run = await until('the run of Agent C', () => {
      const r = runOfSession(a, 'Agent C');
      return r && r.spanCount >= 14 && r;
    });
    assert.equal(toolResponse(a, run), 'Paris');
    assert.match(String(a.explorer.provider.getTreeItem(run).description), /content captured/);
  });
});
