// The span explorer: runs, newest first, each with its span tree. Live: refreshes follow the store's
// coalesced change events, and only the parents whose children changed are refreshed. Large: children are
// paged by the store, so a span with 10,000 children expands at once, and an item reads only what its row
// shows (label, duration, class, whether it has children); the tooltip decodes its span when hovered.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import type { Run } from '../../core/store/run';
import type { StoreChange } from '../../core/store/storeChange';
import type { TraceStore, TreeParent } from '../../core/store/traceStore';
import { formatCount } from '../../core/views/format';
import { type SpanFilter, describeFilter, isActive, visibleRows } from '../../core/views/spanFilter';
import { SpanFacts } from '../../protocol/spanFacts';
import { Commands, ViewItems } from '../ids';
import { type RunNaming, runItem, spanItem, spanTooltip } from './spanTreeItems';

/** Children shown per page before a "show more" item. */
export const PAGE_SIZE = 200;
/** Beyond this many changed parents in one event, one full refresh is cheaper than many partial ones. */
const PARTIAL_REFRESH_LIMIT = 100;

/** A span in the tree, by its store row: one object per row while shown, as VS Code finds elements by identity. */
export class SpanItem {
  constructor(readonly row: number) {}
}

/** The "show more" item at the end of a page. */
export class MoreItem {
  constructor(
    readonly parent: Run | SpanItem,
    readonly shown: number,
    readonly total: number,
  ) {}
}

export type TreeElement = Run | SpanItem | MoreItem;

export class SpanTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _onDidChangeFilter = new vscode.EventEmitter<void>();
  readonly onDidChangeFilter = this._onDidChangeFilter.event;
  private readonly pages = new Map<Run | SpanItem, number>();
  /** The items handed to the view, by row; rows that leave the store leave here at the next change. */
  private readonly items = new Map<number, SpanItem>();
  private filter: SpanFilter = {};
  /** Per run, the rows visible under the filter; computed when the run is expanded, dropped on change. */
  private readonly visibleCache = new Map<Run, { visible: Set<number>; matches: number }>();
  private readonly subscriptions = new DisposableStore();

  constructor(
    private readonly store: TraceStore,
    private readonly naming: RunNaming,
  ) {
    this.subscriptions.add(this.store.onDidChange(change => this.onStoreChange(change)));
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

  /** The tree element of a stored row (for reveal). */
  elementOf(row: number): SpanItem {
    let item = this.items.get(row);
    if (item === undefined) this.items.set(row, (item = new SpanItem(row)));
    return item;
  }

  private onStoreChange(change: StoreChange): void {
    if (change.cleared) {
      this.pages.clear();
      this.visibleCache.clear();
      this.items.clear();
    } else if (change.removedRuns.length || change.evictedSpans) {
      for (const run of change.removedRuns) {
        this.pages.delete(run);
        this.visibleCache.delete(run);
      }
      for (const [row, item] of this.items) {
        if (this.store.rows.has(row)) continue;
        this.items.delete(row);
        this.pages.delete(item);
      }
    }
    for (const run of change.updatedRuns) this.visibleCache.delete(run);
    const topLevel = change.cleared || change.addedRuns.length > 0 || change.removedRuns.length > 0;
    // Runs show counts and "receiving" in their own row: an updated run is refreshed itself, which
    // also refreshes its children.
    if (topLevel || change.changedParents.length + change.updatedRuns.length > PARTIAL_REFRESH_LIMIT || isActive(this.filter)) {
      this._onDidChangeTreeData.fire(undefined);
      if (isActive(this.filter)) this._onDidChangeFilter.fire();
      return;
    }
    const targets = new Set<TreeElement>(change.updatedRuns);
    for (const p of change.changedParents) {
      if (typeof p !== 'number') targets.add(p);
      else {
        // Only items the view was given can be refreshed; the rest it will ask for when shown.
        const item = this.items.get(p);
        if (item && !targets.has(this.store.runOf(p)!)) targets.add(item);
      }
    }
    if (targets.size) this._onDidChangeTreeData.fire([...targets]);
  }

  private visible(run: Run): { visible: Set<number>; matches: number } | undefined {
    if (!isActive(this.filter)) return undefined;
    let v = this.visibleCache.get(run);
    if (!v) {
      v = visibleRows(this.store, run, this.filter);
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
      item.command = { command: Commands.showMore, title: 'Show more', arguments: [element] };
      item.contextValue = ViewItems.more;
      return item;
    }
    if (element instanceof SpanItem) return spanItem(this.store, element.row, this.hasChildren(element.row));
    // runs() lists the newest first; only the newest run starts expanded.
    const newest = this.store.runs()[0] === element;
    return runItem(this.store, element, this.naming, newest, this.visible(element)?.matches);
  }

  async resolveTreeItem(item: vscode.TreeItem, element: TreeElement): Promise<vscode.TreeItem> {
    if (element instanceof SpanItem && item.tooltip === undefined) item.tooltip = spanTooltip(this.store, element.row);
    return item;
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (element === undefined) {
      const runs = this.store.runs().filter(r => r.spanCount > 0 || r.placeholderCount > 0);
      return isActive(this.filter) ? runs.filter(r => (this.visible(r)?.matches ?? 0) > 0) : [...runs];
    }
    if (element instanceof MoreItem) return [];
    const parent: TreeParent = element instanceof SpanItem ? element.row : element;
    const limit = this.pages.get(element) ?? PAGE_SIZE;
    const visible = this.visibleOf(parent);
    // Without a filter the store pages: only the shown rows get items.
    const all = visible ? this.store.children(parent).filter(r => visible.has(r)) : undefined;
    const total = all ? all.length : this.store.childCount(parent);
    const rows = all ? all.subarray(0, limit) : this.store.children(parent, 0, limit);
    const out: TreeElement[] = Array.from(rows, r => this.elementOf(r));
    if (total > limit) out.push(new MoreItem(element, limit, total));
    return out;
  }

  /** Whether a span item expands: its row's facts, or under a filter, whether a child is visible. */
  private hasChildren(row: number): boolean {
    if (!(this.store.rows.facts(row) & SpanFacts.hasChildren)) return false;
    const visible = this.visibleOf(row);
    return !visible || this.store.children(row).some(r => visible.has(r));
  }

  /** The rows visible under the filter in the parent's run; undefined without a filter. */
  private visibleOf(parent: TreeParent): Set<number> | undefined {
    const run = typeof parent === 'number' ? this.store.runOf(parent) : parent;
    return run && this.visible(run)?.visible;
  }

  getParent(element: TreeElement): TreeElement | undefined {
    if (element instanceof MoreItem) return element.parent;
    if (element instanceof SpanItem) {
      const parent = this.store.parentOf(element.row);
      return parent >= 0 ? this.elementOf(parent) : this.store.runOf(element.row);
    }
    return undefined;
  }

  /** The run a tree element belongs to. */
  runOf(element: TreeElement): Run | undefined {
    if (element instanceof MoreItem) return this.runOf(element.parent);
    if (element instanceof SpanItem) return this.store.runOf(element.row);
    return element;
  }

  dispose(): void {
    this.subscriptions.dispose();
    this._onDidChangeTreeData.dispose();
    this._onDidChangeFilter.dispose();
  }
}
