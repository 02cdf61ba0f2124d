import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as vscode from 'vscode';
import type { Run } from '../../extension/src/core/store/run';
import type { MsgtraceApi } from '../../extension/src/extension';
import { Commands, Views } from '../../extension/src/host/ids';
import { type MoreItem, PAGE_SIZE, type SpanItem, type TreeElement } from '../../extension/src/host/tree/spanTreeProvider';
import { api, fixtures, until } from './support';




function labelOf(a: MsgtraceApi, element: TreeElement): string {
  const label = a.explorer.provider.getTreeItem(element).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** The tree below an element as nested [label, children] pairs, read through the tree data provider. */
function shape(a: MsgtraceApi, element: TreeElement): unknown[] {
  return a.explorer.provider.getChildren(element).map(child => {
    const kids = a.explorer.provider.getChildren(child);
    return kids.length ? [labelOf(a, child), shape(a, child)] : labelOf(a, child);
  });
}

describe('span explorer', () => {
  let a: MsgtraceApi;
  before(async () => {
    a = await api();
    a.store.clear();
    await vscode.commands.executeCommand(`${Views.spans}.focus`);
  });

  it('shows the replayed msgflux capture as one run that reads as a tree', async () => {
    const body = fs.readFileSync(path.join(fixtures, 'msgflux-0.1.0a23-agent-demo.pb'));
    const response = await fetch(a.receiver.tracesUrl()!, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    assert.equal(response.status, 200);
    const run = await until('the capture run', () => a.store.runs().find(r => r.serviceName === 'msgtrace-app' && r.spanCount === 28));
    a.store.flush();
    const roots = a.explorer.provider.getChildren(undefined);
    assert.ok(roots.includes(run), 'the run is a top-level item');
    const runItem = a.explorer.provider.getTreeItem(run);
    assert.equal(runItem.label, 'msgtrace-app');
    assert.match(String(runItem.description), /28 spans · .* · 1 error/);
    const tree = shape(a, run);
    // docs/msgflux-wire.md#flat-traces: the flat spans nest by time containment.
    assert.deepEqual(tree.find(t => Array.isArray(t) && t[0] === 'Pipeline'), ['Pipeline', ['Doubler', ['map_gather', ['Doubler', 'Doubler', 'Doubler']]]]);
    const agent = tree.find(t => Array.isArray(t) && t[0] === 'My Agent') as [string, unknown[]];
    assert.deepEqual(agent[1], ['Generator', ['Myagent Tool Library', [['scatter_gather', ['Get Capital']]]], 'Generator']);
  });

  it('shows a run as receiving while spans arrive, and repaints it when they stop', async function () {
    this.timeout(30_000);
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = JSON.stringify({
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'live-service' } }] },
        scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'tick', kind: 1, startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1_000_000n) }] }],
      }],
    });
    const response = await fetch(a.receiver.tracesUrl()!, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(response.status, 200);
    const run = await until('the live run', () => a.store.runs().find(r => r.serviceName === 'live-service'));
    a.store.flush();
    assert.match(String(a.explorer.provider.getTreeItem(run).description), /receiving/);
    const repainted = new Promise<void>(resolve => {
      const sub = a.explorer.provider.onDidChangeTreeData(e => {
        if (Array.isArray(e) && e.includes(run)) {
          sub.dispose();
          resolve();
        }
      });
    });
    await repainted;
    assert.doesNotMatch(String(a.explorer.provider.getTreeItem(run).description), /receiving/);
    a.store.clearRun(run);
  });

  it('marks inferred nesting, classes and the error', async () => {
    const run = a.store.runs().find(r => r.serviceName === 'msgtrace-app')!;
    const exploder = a.explorer.provider.getChildren(run).find(e => labelOf(a, e) === 'Exploder') as SpanItem;
    const item = a.explorer.provider.getTreeItem(exploder);
    assert.match(String(item.description), /boom: 7/);
    assert.equal((item.iconPath as vscode.ThemeIcon).color?.id, 'errorForeground');
    const agent = a.explorer.provider.getChildren(run).find(e => labelOf(a, e) === 'My Agent')!;
    const generator = a.explorer.provider.getChildren(agent)[0]!;
    assert.match(String(a.explorer.provider.getTreeItem(generator).description), /nested by time/);
    const tooltip = await a.explorer.provider.resolveTreeItem(a.explorer.provider.getTreeItem(exploder), exploder);
    const md = tooltip.tooltip as vscode.MarkdownString;
    assert.equal(md.isTrusted, false);
    // appendText escapes markdown and keeps spaces as &nbsp;: compare the text a reader sees.
    const text = md.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(text, /error: ValueError: boom: 7/);
    assert.match(text, /raised at: \/home\/user\/agent-demo\/demo_program\.py:114 in forward/);
  });

  it('escapes span text in tooltips: names, attribute keys and values are not markdown or links', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const hostile = '[run](command:msgtrace.clearAll) **bold** <img src=x onerror=alert(1)>';
    const body = JSON.stringify({
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hostile-service' } }] },
        scopeSpans: [{ spans: [{ traceId: '1af7651916cd43dd8448eb211c80319c', spanId: 'c7ad6b7169203331', name: hostile, kind: 1, startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1_000n), attributes: [{ key: hostile, value: { stringValue: hostile } }] }] }],
      }],
    });
    assert.equal((await fetch(a.receiver.tracesUrl()!, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 200);
    const run = await until('the hostile run', () => a.store.runs().find(r => r.serviceName === 'hostile-service'));
    a.store.flush();
    const node = a.explorer.provider.getChildren(run)[0] as SpanItem;
    const md = (await a.explorer.provider.resolveTreeItem(a.explorer.provider.getTreeItem(node), node)).tooltip as vscode.MarkdownString;
    assert.equal(md.isTrusted, false);
    assert.equal(md.supportHtml, false);
    // Every markdown-active character of the span's text arrives escaped.
    assert.ok(!md.value.includes('[run](command:'), md.value);
    assert.ok(!md.value.includes('**bold**'), md.value);
    assert.ok(md.value.includes('\\[run\\]'), md.value);
    a.store.clearRun(run);
  });

  it('pages a node with 10,000 children and shows more on demand', async function () {
    this.timeout(120_000);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'wide-service' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: a.receiver.tracesUrl()! }), { maxExportBatchSize: 2048, maxQueueSize: 20_000 })],
    });
    const tracer = provider.getTracer('wide');
    const root = tracer.startSpan('fan-out');
    const ctx = trace.setSpan(context.active(), root);
    for (let i = 0; i < 10_000; i++) tracer.startSpan(`child ${i}`, {}, ctx).end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();
    const run = await until('the wide run', () => a.store.runs().find(r => r.serviceName === 'wide-service' && r.spanCount === 10_001), 60_000);
    a.store.flush();
    const [top] = a.explorer.provider.getChildren(run) as SpanItem[];
    assert.equal(labelOf(a, top!), 'fan-out');
    const t0 = performance.now();
    const page = a.explorer.provider.getChildren(top);
    const ms = performance.now() - t0;
    assert.equal(page.length, PAGE_SIZE + 1);
    // The extension's bundle has its own copy of the class: check the shape, not instanceof.
    const more = page[PAGE_SIZE] as MoreItem;
    assert.equal(more.shown, PAGE_SIZE);
    assert.equal(more.total, 10_000);
    await vscode.commands.executeCommand(Commands.showMore, more);
    assert.equal(a.explorer.provider.getChildren(top).length, 2 * PAGE_SIZE + 1);
    console.log(`    first page of 10,000 children in ${ms.toFixed(1)} ms`);
    await vscode.commands.executeCommand(`${Views.spans}.focus`);
    await a.explorer.view.reveal(top!, { expand: true });
  });

  it('narrows with a filter, says so in the view, and clears', async () => {
    const run = a.store.runs().find(r => r.serviceName === 'msgtrace-app')!;
    a.explorer.provider.setFilter({ text: 'get capital' });
    const runs = a.explorer.provider.getChildren(undefined) as Run[];
    assert.deepEqual(runs.map(r => r.serviceName), ['msgtrace-app'], 'only runs with matches');
    const agents = a.explorer.provider.getChildren(run).map(e => labelOf(a, e));
    assert.deepEqual(agents, ['My Agent', 'My Agent']);
    assert.match(a.explorer.view.message ?? '', /text "get capital": 2 matching spans/);
    a.explorer.provider.setFilter({ errorsOnly: true });
    assert.deepEqual(a.explorer.provider.getChildren(run).map(e => labelOf(a, e)), ['Exploder']);
    await vscode.commands.executeCommand(Commands.clearFilter);
    assert.equal(a.explorer.view.message, undefined);
    assert.ok(a.explorer.provider.getChildren(run).length > 5);
  });

  it('shows a run in the timeline from the explorer', async () => {
    const run = a.store.runs().find(r => r.serviceName === 'msgtrace-app')!;
    await vscode.commands.executeCommand(Commands.openInTimeline, run);
    await until('the timeline on that run', () => a.timeline.isOpen && a.timeline.runId === run.id);
  });

  it('copies ids and attributes, deletes a run', async () => {
    const run = a.store.runs().find(r => r.serviceName === 'msgtrace-app')!;
    const exploder = a.explorer.provider.getChildren(run).find(e => labelOf(a, e) === 'Exploder') as SpanItem;
    assert.equal(await vscode.commands.executeCommand(Commands.copySpanId, exploder), a.store.rows.spanId(exploder.row));
    assert.equal(await vscode.commands.executeCommand(Commands.copyTraceId, exploder), a.store.rows.traceId(exploder.row));
    const agent = a.explorer.provider.getChildren(run).find(e => labelOf(a, e) === 'My Agent') as SpanItem;
    assert.deepEqual(JSON.parse((await vscode.commands.executeCommand<string>(Commands.copyAttributes, agent))!), { 'span.type': 'flow' });
    const wide = a.store.runs().find(r => r.serviceName === 'wide-service')!;
    assert.equal(await vscode.commands.executeCommand(Commands.deleteRun, wide), true);
    a.store.flush();
    assert.ok(!a.explorer.provider.getChildren(undefined).includes(wide));
  });

  it('goes to the source line of an error, mapping the sender\'s path to the workspace', async () => {
    // The capture names /home/user/agent-demo/demo_program.py; the examples workspace has agent-demo/demo_program.py.
    const run = a.store.runs().find(r => r.serviceName === 'msgtrace-app')!;
    const exploder = a.explorer.provider.getChildren(run).find(e => labelOf(a, e) === 'Exploder') as SpanItem;
    const opened = await vscode.commands.executeCommand<boolean>(Commands.goToSource, exploder);
    assert.equal(opened, true);
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.uri.fsPath, /agent-demo[\\/]demo_program\.py$/);
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /raise|boom/);
  });
});
