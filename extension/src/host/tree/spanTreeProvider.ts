// The span explorer: runs, newest first, each with its span tree. Live: refreshes follow the store's
// coalesced change events, and only the parents whose children changed are refreshed. Large: children are
// paged, so a node with 10,000 children expands at once.
import * as vscode from 'vscode';
import type { Run } from '../../core/store/run';
import { SpanNode } from '../../core/store/spanNode';
import type { StoreChange } from '../../core/store/storeChange';
import type { TraceStore } from '../../core/store/traceStore';
import { formatCount } from '../../core/views/format';
import { type SpanFilter, describeFilter, isActive, visibleNodes } from '../../core/views/spanFilter';
import { type RunNaming, runItem, spanItem, spanTooltip } from './spanTreeItems';

/** Children shown per page before a "show more" item. */
export const PAGE_SIZE = 200;
/** Beyond this many changed parents in one event, one full refresh is cheaper than many partial ones. */
const PARTIAL_REFRESH_LIMIT = 100;

/** The "show more" item at the end of a page. */
export class MoreItem {
  constructor(
    readonly parent: Run | SpanNode,
    readonly shown: number,
    readonly total: number,
  ) {}
}

export type TreeElement = Run | SpanNode | MoreItem;

export class SpanTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _onDidChangeFilter = new vscode.EventEmitter<void>();
  readonly onDidChangeFilter = this._onDidChangeFilter.event;
  private readonly pages = new Map<Run | SpanNode, number>();
  private filter: SpanFilter = {};
  /** Per run, the nodes visible under the filter; computed when the run is expanded, dropped on change. */
  private readonly visibleCache = new Map<Run, { visible: Set<SpanNode>; matches: number }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: TraceStore,
    private readonly naming: RunNaming,
  ) {
    this.subscriptions = [this.store.onDidChange(change => this.onStoreChange(change))];
  }

  get activeFilter(): SpanFilter {
    return this.filter;
  }

  setFilter(filter: SpanFilter): void {
    this.filter = filter;
    this.visibleCache.clear();
    this.pages.clear();
    this._onDidChangeTreeData.fire(undefined);
    this._onDidChangeFilter.fire();
  }

  /** "Filtered: …" for the view's message, or undefined without a filter. */
  filterMessage(): string | undefined {
    if (!isActive(this.filter)) return undefined;
    let matches = 0;
    for (const run of this.store.runs()) matches += this.visible(run)?.matches ?? 0;
    return `Filtered by ${describeFilter(this.filter)}: ${formatCount(matches)} matching spans. "msgtrace: Clear Filter" shows all.`;
  }

  /** Repaints run rows (their counts and "receiving" state) without a store change. */
  refreshRuns(runs: readonly Run[]): void {
    const alive = runs.filter(r => this.store.getRun(r.id) === r);
    if (alive.length) this._onDidChangeTreeData.fire(alive);
  }

  /** Shows the next page of a parent's children. */
  showMore(item: MoreItem): void {
    this.pages.set(item.parent, item.shown + PAGE_SIZE);
    this._onDidChangeTreeData.fire(item.parent);
  }

  private onStoreChange(change: StoreChange): void {
    if (change.cleared || change.removedRuns.length) {
      for (const run of change.removedRuns) {
        this.pages.delete(run);
        this.visibleCache.delete(run);
      }
      if (change.cleared) {
        this.pages.clear();
        this.visibleCache.clear();
      }
    }
    for (const run of change.updatedRuns) this.visibleCache.delete(run);
    const topLevel = change.cleared || change.addedRuns.length > 0 || change.removedRuns.length > 0;
    // Runs show counts and "receiving" in their own row: an updated run is refreshed itself, which
    // also refreshes its children.
    if (topLevel || change.changedParentCount + change.updatedRuns.length > PARTIAL_REFRESH_LIMIT || isActive(this.filter)) {
      this._onDidChangeTreeData.fire(undefined);
      if (isActive(this.filter)) this._onDidChangeFilter.fire();
      return;
    }
    const targets = new Set<TreeElement>(change.updatedRuns);
    for (const p of change.changedParents) if (!(p instanceof SpanNode) || !targets.has(this.store.runOf(p)!)) targets.add(p);
    if (targets.size) this._onDidChangeTreeData.fire([...targets]);
  }

  private visible(run: Run): { visible: Set<SpanNode>; matches: number } | undefined {
    if (!isActive(this.filter)) return undefined;
    let v = this.visibleCache.get(run);
    if (!v) {
      v = visibleNodes(this.store, run, this.filter);
      this.visibleCache.set(run, v);
    }
    return v;
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    if (element instanceof MoreItem) {
      const rest = element.total - element.shown;
      const item = new vscode.TreeItem(`Show ${formatCount(Math.min(PAGE_SIZE, rest))} more`, vscode.TreeItemCollapsibleState.None);
      item.description = `${formatCount(element.shown)} of ${formatCount(element.total)} shown`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: 'msgtrace.showMore', title: 'Show more', arguments: [element] };
      item.contextValue = 'msgtrace.more';
      return item;
    }
    if (element instanceof SpanNode) {
      return spanItem(this.store, element, this.childList(element).length > 0);
    }
    // runs() lists the newest first; only the newest run starts expanded.
    const newest = this.store.runs()[0] === element;
    return runItem(this.store, element, this.naming, newest, this.visible(element)?.matches);
  }

  async resolveTreeItem(item: vscode.TreeItem, element: TreeElement): Promise<vscode.TreeItem> {
    if (element instanceof SpanNode) item.tooltip = spanTooltip(this.store, element);
    return item;
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (element === undefined) {
      const runs = this.store.runs().filter(r => r.spanCount > 0 || r.placeholderCount > 0);
      const shown = isActive(this.filter) ? runs.filter(r => (this.visible(r)?.matches ?? 0) > 0) : runs;
      return [...shown];
    }
    if (element instanceof MoreItem) return [];
    const all = this.childList(element);
    const limit = this.pages.get(element) ?? PAGE_SIZE;
    if (all.length <= limit) return [...all];
    return [...all.slice(0, limit), new MoreItem(element, limit, all.length)];
  }

  /** A parent's children in start order, only the visible ones under a filter. */
  private childList(parent: Run | SpanNode): readonly SpanNode[] {
    const run = parent instanceof SpanNode ? this.store.runOf(parent) : parent;
    const visible = run && this.visible(run);
    // Without a filter, a leaf costs nothing to ask about; paging slices only what is shown.
    if (!visible) return this.store.children(parent);
    return this.store.children(parent).filter(n => visible.visible.has(n));
  }

  getParent(element: TreeElement): TreeElement | undefined {
    if (element instanceof MoreItem) return element.parent;
    if (element instanceof SpanNode) return element.parent ?? this.store.runOf(element);
    return undefined;
  }

  /** The run a tree element belongs to. */
  runOf(element: TreeElement): Run | undefined {
    if (element instanceof MoreItem) return this.runOf(element.parent);
    if (element instanceof SpanNode) return this.store.runOf(element);
    return element;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this._onDidChangeTreeData.dispose();
    this._onDidChangeFilter.dispose();
  }
}
