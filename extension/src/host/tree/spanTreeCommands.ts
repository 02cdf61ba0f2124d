// The span explorer's actions. Each takes the element it was invoked on (context menu, inline button) or,
// from the command palette or a key binding, the tree's selection.
import * as vscode from 'vscode';
import { type AnyValue, formatAnyValue, isKeyValueList } from '../../core/model/anyValue';
import { SPAN_CLASSES, type SpanClass } from '../../core/semantics/spanClass';
import type { Run } from '../../core/store/run';
import type { TraceStore } from '../../core/store/traceStore';
import { SpanFacts } from '../../protocol/spanFacts';
import { spansOfRun } from '../../storage/spanExporter';
import { Commands } from '../ids';
import { exportToFile } from '../storage/storageCommands';
import { MoreItem, SpanItem, type SpanTreeProvider, type TreeElement } from './spanTreeProvider';
import { type RunNaming, runLabel } from './spanTreeItems';

export function registerSpanTreeCommands(
  store: TraceStore,
  provider: SpanTreeProvider,
  view: vscode.TreeView<TreeElement>,
  naming: RunNaming,
  openInTimeline: (run: Run, row?: number) => void,
  goToSource: (row: number) => Promise<boolean>,
): vscode.Disposable[] {
  const target = (arg: unknown): TreeElement | undefined =>
    arg instanceof SpanItem || arg instanceof MoreItem || (arg !== undefined && provider.runOf(arg as TreeElement)) ? (arg as TreeElement) : view.selection[0];
  /** The stored span or placeholder a command is about, as its row. */
  const spanOf = (arg: unknown): number | undefined => {
    const t = target(arg);
    return t instanceof SpanItem && store.rows.has(t.row) ? t.row : undefined;
  };
  const runOf = (arg: unknown): Run | undefined => {
    const t = target(arg);
    return t && provider.runOf(t);
  };
  const copy = async (text: string, what: string) => {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`msgtrace: copied ${what}`, 3000);
    return text;
  };

  return [
    vscode.commands.registerCommand(Commands.showMore, (item: MoreItem) => provider.showMore(item)),
    vscode.commands.registerCommand(Commands.openInTimeline, (arg?: unknown) => {
      const run = runOf(arg);
      if (run) openInTimeline(run, spanOf(arg));
    }),
    vscode.commands.registerCommand(Commands.goToSource, (arg?: unknown) => {
      const row = spanOf(arg);
      return row !== undefined && !(store.rows.facts(row) & SpanFacts.placeholder) ? goToSource(row) : false;
    }),
    vscode.commands.registerCommand(Commands.copySpanId, (arg?: unknown) => {
      const row = spanOf(arg);
      return row === undefined ? undefined : copy(store.rows.spanId(row), 'span id');
    }),
    vscode.commands.registerCommand(Commands.copyTraceId, (arg?: unknown) => {
      const row = spanOf(arg);
      return row === undefined ? undefined : copy(store.rows.traceId(row), 'trace id');
    }),
    vscode.commands.registerCommand(Commands.copyAttributes, (arg?: unknown) => {
      const row = spanOf(arg);
      if (row === undefined || store.rows.facts(row) & SpanFacts.placeholder) return undefined;
      // Plain values where JSON has them; OTLP/JSON's typed form would be harder to read and paste.
      const plain = Object.fromEntries(store.rows.details(row).attributes.map(kv => [kv.key, jsonValue(kv.value)]));
      return copy(JSON.stringify(plain, null, 2), 'attributes as JSON');
    }),
    // `target` skips the save dialog (tests, other extensions).
    vscode.commands.registerCommand(Commands.exportRun, async (arg?: unknown, target?: vscode.Uri) => {
      const run = runOf(arg);
      if (!run) return undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `${runLabel(run, naming).replace(/[^\w.-]+/g, '-')}-${run.id}.otlp.jsonl`;
      const uri =
        target ??
        (await vscode.window.showSaveDialog({
          title: 'Export run as OTLP/JSON lines',
          defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
          filters: { 'OTLP/JSON lines': ['jsonl', 'json'] },
        }));
      if (!uri) return undefined;
      const result = await exportToFile(uri, [spansOfRun(store, run)], 'a run');
      return result.cancelled ? undefined : uri;
    }),
    vscode.commands.registerCommand(Commands.deleteRun, (arg?: unknown) => {
      const run = runOf(arg);
      return run ? store.clearRun(run) : false;
    }),
    vscode.commands.registerCommand(Commands.clearAll, () => store.clear()),
    vscode.commands.registerCommand(Commands.filter, () => pickFilter(provider)),
    vscode.commands.registerCommand(Commands.clearFilter, () => provider.setFilter({})),
  ];
}

/** An attribute value as plain JSON: exact integers stay exact (as strings when a number cannot hold them). */
function jsonValue(v: AnyValue): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return formatAnyValue(v);
  if (Array.isArray(v)) return (v as readonly AnyValue[]).map(jsonValue);
  if (isKeyValueList(v)) return Object.fromEntries(v.kvlist.map(kv => [kv.key, jsonValue(kv.value)]));
  return v;
}

/** One quick pick for every filter: text, classes, errors only, minimum duration, clear. */
async function pickFilter(provider: SpanTreeProvider): Promise<void> {
  const current = provider.activeFilter;
  const items: (vscode.QuickPickItem & { action: string })[] = [
    { label: '$(search) Text…', description: current.text ? `now "${current.text}"` : 'in span names and attribute values', action: 'text' },
    { label: '$(symbol-class) Span classes…', description: current.classes?.length ? `now ${current.classes.join(', ')}` : 'flow, module, agent, tool, model, functional, generic', action: 'classes' },
    { label: `$(error) Errors only: ${current.errorsOnly ? 'on' : 'off'}`, description: 'toggle', action: 'errors' },
    { label: '$(watch) Minimum duration…', description: current.minDurationMs ? `now ${current.minDurationMs} ms` : 'in milliseconds', action: 'duration' },
    { label: '$(clear-all) Clear filter', action: 'clear' },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Filter spans' });
  if (!choice) return;
  switch (choice.action) {
    case 'text': {
      const text = await vscode.window.showInputBox({ title: 'Filter spans by text', value: current.text ?? '', prompt: 'Span names, attribute keys and values; empty clears' });
      if (text !== undefined) provider.setFilter({ ...current, text: text.trim() || undefined });
      return;
    }
    case 'classes': {
      const picked = await vscode.window.showQuickPick(
        SPAN_CLASSES.map(c => ({ label: c, picked: current.classes?.includes(c) ?? false })),
        { title: 'Show these span classes (none: all)', canPickMany: true },
      );
      if (picked) provider.setFilter({ ...current, classes: picked.map(p => p.label as SpanClass) });
      return;
    }
    case 'errors':
      provider.setFilter({ ...current, errorsOnly: !current.errorsOnly });
      return;
    case 'duration': {
      const value = await vscode.window.showInputBox({
        title: 'Minimum span duration in milliseconds',
        value: String(current.minDurationMs ?? ''),
        validateInput: v => (v.trim() === '' || (Number.isFinite(Number(v)) && Number(v) >= 0) ? undefined : 'a number of milliseconds'),
      });
      if (value !== undefined) provider.setFilter({ ...current, minDurationMs: Number(value) || undefined });
      return;
    }
    case 'clear':
      provider.setFilter({});
  }
}
