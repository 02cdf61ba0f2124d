import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MsgtraceApi } from '../../extension/src/extension';
import type { SpanItem } from '../../extension/src/host/tree/spanTreeProvider';
import { Commands, Settings, SettingsSection } from '../../extension/src/host/ids';
import { api, fixtures, until } from './support';




const isDemo = (uri: vscode.Uri) => /agent-demo[\\/]demo_program\.py$/.test(uri.fsPath);

describe('source links', () => {
  let a: MsgtraceApi;
  let demo: vscode.Uri;
  let lines: string[];
  /** 0-based line of the first line of demo_program.py matching `re`. */
  const lineOf = (re: RegExp) => {
    const i = lines.findIndex(l => re.test(l));
    assert.ok(i >= 0, `demo_program.py has a line matching ${re}`);
    return i;
  };
  /** The span explorer's item of the span with that name (commands take tree items). */
  const nodeNamed = (name: string): SpanItem => {
    const run = a.store.runs()[0]!;
    const row = a.store.flatten(run).rows.find(r => a.store.rows.name(r) === name);
    assert.ok(row !== undefined, `the run has a span "${name}"`);
    return a.explorer.provider.elementOf(row);
  };

  before(async () => {
    a = await api();
    a.store.clear();
    const [found] = await vscode.workspace.findFiles('agent-demo/demo_program.py');
    assert.ok(found, 'the examples workspace holds agent-demo/demo_program.py');
    demo = found;
    lines = fs.readFileSync(demo.fsPath, 'utf8').split(/\r?\n/);
    const body = fs.readFileSync(path.join(fixtures, 'msgflux-0.1.0a23-agent-demo.pb'));
    const response = await fetch(a.receiver.tracesUrl()!, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    assert.equal(response.status, 200);
    await until('the capture run', () => a.store.runs().find(r => r.serviceName === 'msgtrace-app' && r.spanCount === 28));
    a.store.flush();
  });

  after(async () => {
    await vscode.workspace.getConfiguration(SettingsSection).update(Settings.sourceCodeLens, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the Exploder error at the line that raised, although the request names /home/user/agent-demo', async () => {
    const opened = await vscode.commands.executeCommand<boolean>(Commands.goToSource, nodeNamed('Exploder'));
    assert.equal(opened, true);
    const editor = vscode.window.activeTextEditor!;
    assert.ok(isDemo(editor.document.uri), editor.document.uri.fsPath);
    assert.equal(editor.selection.active.line, 113, 'line 114 of the traceback');
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /raise ValueError/);
  });

  it('resolves msgflux names to their definitions: My Agent, Doubler, Pipeline, Get Capital', async () => {
    const expected: [string, RegExp][] = [
      ['My Agent', /nn\.Agent\("MyAgent"/],
      ['Doubler', /^class Doubler\(nn\.Module\)/],
      ['Pipeline', /^class Pipeline\(nn\.Module\)/],
      ['Get Capital', /^def get_capital\(/],
      ['Myagent Tool Library', /nn\.Agent\("MyAgent"/],
    ];
    for (const [name, definition] of expected) {
      const node = nodeNamed(name);
      const found = await a.source.resolver.resolve(a.store.rows.span(node.row)!, a.store.classOf(node.row));
      assert.ok(found, `${name} resolves`);
      assert.ok(isDemo(found.uri), `${name} -> ${found.uri.fsPath}`);
      assert.equal(found.from, 'name');
      assert.equal(found.line - 1, lineOf(definition), `${name} resolves to its definition`);
    }
    // And through the span explorer's command: the editor lands on the definition.
    assert.equal(await vscode.commands.executeCommand<boolean>(Commands.goToSource, nodeNamed('Get Capital')), true);
    const editor = vscode.window.activeTextEditor!;
    assert.ok(isDemo(editor.document.uri));
    assert.equal(editor.selection.active.line, lineOf(/^def get_capital\(/));
    assert.equal(editor.document.getText(editor.document.getWordRangeAtPosition(editor.selection.active)), 'get_capital');
  });

  it('says why a span without a source opens nothing', async () => {
    // Generator is msgflux's own module: no definition in the workspace.
    assert.equal(await vscode.commands.executeCommand<boolean>(Commands.goToSource, nodeNamed('Generator')), false);
  });

  it('puts a CodeLens over class Doubler with the count of its spans, and a click reveals them', async () => {
    await vscode.workspace.openTextDocument(demo);
    const lensAt = async (line: number) => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', demo, 10)) ?? [];
      return lenses.find(l => l.range.start.line === line && l.command?.title.startsWith('msgtrace:'));
    };
    const doublerLine = lineOf(/^class Doubler\(/);
    const lens = await until('the Doubler lens', () => lensAt(doublerLine));
    const doublers = a.store.flatten(a.store.runs()[0]!).rows.filter(r => a.store.rows.name(r) === 'Doubler');
    assert.equal(doublers.length, 4);
    assert.match(lens.command!.title, /^msgtrace: 4 spans · median \S+ \S+ · max \S+ \S+$/);
    const exploderLens = await lensAt(lineOf(/^class Exploder\(/));
    assert.match(exploderLens?.command?.title ?? '', /^msgtrace: 1 span · \S+ \S+ · 1 error$/);
    const agentLens = await lensAt(lineOf(/nn\.Agent\("MyAgent"/));
    assert.match(agentLens?.command?.title ?? '', /^msgtrace: 2 spans/);
    assert.equal(await lensAt(lineOf(/^class StubChatModel\(/)), undefined, 'no spans, no lens');

    const revealed = await vscode.commands.executeCommand<SpanItem>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.ok(revealed && doublers.includes(revealed.row), 'the command reveals one of the Doubler spans');
    await until('the explorer selection', () => a.explorer.view.selection[0] === revealed);
  });

  it('hovers a definition with the latest span\'s summary', async () => {
    const line = lineOf(/^class Exploder\(/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', demo, new vscode.Position(line, 'class Exp'.length));
    const text = hovers
      .flatMap(h => h.contents)
      .map(c => (typeof c === 'string' ? c : c.value))
      .join('\n')
      // appendText escapes markdown and keeps spaces as &nbsp;: compare the text a reader sees.
      .replace(/&nbsp;/g, ' ')
      .replace(/\\(.)/g, '$1');
    assert.match(text, /msgtrace\*\* latest span: Exploder/);
    assert.match(text, /error: ValueError: boom: 7/);
  });

  it('turns the CodeLens off with its setting', async () => {
    const config = vscode.workspace.getConfiguration(SettingsSection);
    await config.update(Settings.sourceCodeLens, false, vscode.ConfigurationTarget.Global);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', demo)) ?? [];
    assert.deepEqual(lenses.filter(l => l.command?.title.startsWith('msgtrace:')), []);
    await config.update(Settings.sourceCodeLens, undefined, vscode.ConfigurationTarget.Global);
    const again = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', demo, 10)) ?? [];
    assert.ok(again.some(l => l.command?.title.startsWith('msgtrace:')));
  });

  it('lists the error in the Problems panel at the raising line, and clears it with the run', async () => {
    const line = lineOf(/raise ValueError\(f"boom/);
    const ours = () => vscode.languages.getDiagnostics(demo).filter(d => d.source === 'msgtrace');
    const [diagnostic] = await until('the diagnostic', () => ours().length > 0 && ours());
    assert.equal(ours().length, 1, 'the error recorded twice is listed once');
    assert.equal(diagnostic!.range.start.line, line);
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic!.message, /^ValueError: boom: 7 \(span "Exploder"\)$/);
    a.store.clearRun(a.store.runs()[0]!);
    a.store.flush();
    await until('the diagnostic to go', () => ours().length === 0);
  });
});
