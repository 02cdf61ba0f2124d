// How runs and spans look in the span explorer: labels, descriptions, icons and tooltips. Span names,
// attribute values and error messages come from other programs: tooltips are untrusted MarkdownStrings
// and every such text goes in through appendText, which escapes it.
import * as vscode from 'vscode';
import { previousRunOf } from '../../core/compare/previousRun';
import { formatAnyValue } from '../../core/model/anyValue';
import { StatusCode } from '../../core/model/span';
import { errorFacts } from '../../core/semantics/errorFacts';
import { modelOf, toolArgumentsOf, toolNameOf, toolResultOf } from '../../core/semantics/genAiFacts';
import type { SpanClass } from '../../core/semantics/spanClass';
import { hasUsage, type Usage } from '../../core/semantics/usage';
import type { Run } from '../../core/store/run';
import type { TraceStore } from '../../core/store/traceStore';
import { formatClock, formatCount, formatDuration, spanKindName, truncate } from '../../core/views/format';
import { SpanFacts } from '../../protocol/spanFacts';
import { ViewItems } from '../ids';

/** Codicon and theme colour per span class. */
export const CLASS_ICONS: Readonly<Record<SpanClass, { icon: string; color: string }>> = {
  flow: { icon: 'symbol-event', color: 'charts.purple' },
  module: { icon: 'symbol-class', color: 'charts.blue' },
  agent: { icon: 'hubot', color: 'charts.green' },
  tool: { icon: 'tools', color: 'charts.orange' },
  model: { icon: 'sparkle', color: 'charts.yellow' },
  functional: { icon: 'symbol-operator', color: 'charts.foreground' },
  generic: { icon: 'circle-outline', color: 'charts.foreground' },
};

/** What a run is called: its debug session's name, else its service. */
export interface RunNaming {
  sessionName(run: Run): string | undefined;
  /** Capture flags that record content and were on for the run's session. */
  contentCapture(run: Run): readonly string[];
}

export function runLabel(run: Run, naming: RunNaming): string {
  return naming.sessionName(run) ?? (run.serviceName || 'unknown service');
}

export function runItem(store: TraceStore, run: Run, naming: RunNaming, expanded: boolean, shownSpans?: number): vscode.TreeItem {
  const item = new vscode.TreeItem(runLabel(run, naming), expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `run:${run.id}`;
  const receiving = store.isReceiving(run);
  const parts = [
    // A trace opened from a team backend says where from, first (text: it names the backend as configured).
    run.origin.source ? `from ${truncate(run.origin.source, 80)}` : '',
    run.spanCount ? formatClock(run.startMs) : '',
    shownSpans === undefined ? `${formatCount(run.spanCount)} spans` : `${formatCount(shownSpans)} of ${formatCount(run.spanCount)} spans`,
    run.spanCount ? formatDuration(run.durationNanos) : '',
    run.errorCount ? `${formatCount(run.errorCount)} error${run.errorCount > 1 ? 's' : ''}` : '',
    naming.contentCapture(run).length ? 'content captured' : '',
    receiving ? 'receiving' : '',
  ];
  item.description = parts.filter(Boolean).join(' · ');
  item.iconPath = receiving
    ? new vscode.ThemeIcon('sync~spin')
    : run.errorCount
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : new vscode.ThemeIcon(run.origin.source ? 'cloud' : run.debugSessionId ? 'debug-alt' : 'server-process');
  item.contextValue = previousRunOf(store.runs(), run, r => runLabel(r, naming)) ? ViewItems.run : ViewItems.firstRun;
  item.accessibilityInformation = { label: `run ${runLabel(run, naming)}, ${item.description}` };
  return item;
}

/** A span's row in the tree, from the row's words only: no span is decoded to draw it. */
export function spanItem(store: TraceStore, row: number, hasChildren: boolean): vscode.TreeItem {
  const collapsible = hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const r = store.rows;
  const facts = r.facts(row);
  const spanId = r.spanId(row);
  if (!r.has(row) || facts & SpanFacts.placeholder) {
    const gone = !r.has(row);
    const item = new vscode.TreeItem(gone ? '(no longer stored)' : '(parent not received yet)', collapsible);
    if (!gone) item.id = `span:${r.traceId(row)}/${spanId}`;
    item.description = gone ? '' : `span ${spanId}`;
    item.iconPath = new vscode.ThemeIcon('question');
    item.tooltip = gone
      ? 'This span was dropped by the retention limits or cleared.'
      : `A span with id ${spanId} is the parent of the spans below, but it has not arrived (yet). Programs usually send a parent after its children, when it ends.`;
    item.contextValue = ViewItems.placeholder;
    return item;
  }
  const cls = store.classOf(row);
  const name = r.name(row);
  const item = new vscode.TreeItem(truncate(name, 200) || '(unnamed span)', collapsible);
  item.id = `span:${r.traceId(row)}/${spanId}`;
  const isError = r.status(row) === StatusCode.Error;
  const parts = [formatDuration(r.durationNanos(row))];
  if (isError) parts.push(truncate(firstLine(r.statusMessage(row)) || 'error', 120));
  if (facts & SpanFacts.inferredEdge) parts.push('≈ nested by time');
  item.description = parts.join(' · ');
  const look = CLASS_ICONS[cls];
  item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(isError ? 'errorForeground' : look.color));
  item.contextValue = ViewItems.span;
  item.accessibilityInformation = { label: `${cls} ${name}, ${item.description}` };
  return item;
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i < 0 ? text : text.slice(0, i);
}


/** The hover of a span: key facts first, then the first attributes. Built on hover only (it decodes details). */
export function spanTooltip(store: TraceStore, row: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  const span = store.rows.span(row);
  if (!span) return md.appendText(`Missing parent span ${store.rows.spanId(row)} of trace ${store.rows.traceId(row)}`);
  // Labels include attribute keys, which come from the program too: both sides go in as escaped text.
  const line = (label: string, value: string) => {
    md.appendText(`${label}: ${value}`);
    md.appendMarkdown('  \n');
  };
  md.appendMarkdown('**');
  md.appendText(truncate(span.name, 300));
  md.appendMarkdown('**  \n');
  line('class', `${store.classOf(row)} (${spanKindName(span.kind)} span)`);
  line('duration', `${formatDuration(span.durationNanos)} (self ${formatDuration(store.selfTimeNanos(row))})`);
  if (store.rows.facts(row) & SpanFacts.inferredEdge) line('nesting', 'inferred from time containment: the program sent no parent id');
  if (span.statusCode === StatusCode.Error) {
    const facts = errorFacts(span);
    // Messages often start with their type already ("BookingError: no seats"): do not say it twice.
    const text = facts.type && !facts.message.startsWith(facts.type) ? [facts.type, facts.message].filter(Boolean).join(': ') : facts.message || facts.type;
    line('error', truncate(text || 'status ERROR', 500));
    if (facts.frame) line('raised at', `${facts.frame.file}:${facts.frame.line}${facts.frame.function ? ` in ${facts.frame.function}` : ''}`);
  }
  const model = modelOf(span);
  if (model) line('model', model);
  const tool = toolNameOf(span);
  if (tool) line('tool', tool);
  const args = toolArgumentsOf(span);
  if (args) line('arguments', truncate(args, 300));
  const result = toolResultOf(span);
  if (result) line('result', truncate(result, 300));
  const usage = store.subtreeUsage(row);
  if (hasUsage(usage)) line(store.rows.facts(row) & SpanFacts.hasChildren ? 'tokens (subtree)' : 'tokens', describeUsage(usage));
  const attributes = span.attributes();
  if (attributes.length) {
    md.appendMarkdown('\n---\n\n');
    for (const kv of attributes.slice(0, 15)) line(kv.key, truncate(formatAnyValue(kv.value), 200));
    if (attributes.length > 15) md.appendText(`… ${attributes.length - 15} more attributes`);
  }
  md.appendMarkdown('\n---\n\n');
  line('trace', span.traceId);
  line('span', span.spanId);
  return md;
}

export function describeUsage(u: Usage): string {
  const parts: string[] = [];
  if (u.inputTokens !== undefined) parts.push(`${formatCount(u.inputTokens)} in`);
  if (u.outputTokens !== undefined) parts.push(`${formatCount(u.outputTokens)} out`);
  if (u.totalTokens !== undefined && (u.inputTokens === undefined || u.outputTokens === undefined)) parts.push(`${formatCount(u.totalTokens)} total`);
  if (u.cost !== undefined) parts.push(`${u.cost.toFixed(4)} ${u.currency ?? 'USD'}`);
  return parts.join(', ');
}
