// The waterfall: a name column of recycled DOM rows (text, focus, screen-reader labels) beside one canvas of
// bars, both inside a scroller whose height is rows × row height. Only the rows on screen exist as elements or
// get drawn. View state (selection, collapsed subtrees, zoom, scroll) is kept by row key, so a live update that
// inserts rows keeps what the user was looking at.
import { type RowColumns, SPAN_CLASS_NAMES } from '../../../extension/src/protocol/timelineProtocol';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { el } from '../dom';
import { criticalPath } from './criticalPath';
import { Minimap } from './minimap';
import { type RowModel, buildRowModel } from './rowModel';
import { type RowFilter, isActive, matchRows, nextMatch } from './searchFilter';
import { type Palette, onThemeChange, readPalette } from './theme';
import { type TimeWindow, fitWindow, formatDuration, formatTick, panBy, ticks, timeToX, xToTime, zoomAround } from './timeAxis';
import { visibleRows, withAncestors } from './visibleRows';
import { maxScrollTop, scrollToReveal, visibleRange } from './virtualList';
import { WaterfallRenderer } from './waterfallRenderer';

export const ROW_HEIGHT = 22;
const INDENT = 14;

export interface TimelineViewEvents {
  /** The selected span changed (undefined: nothing selected). */
  onSelect(key: number | undefined): void;
  /** The filter text changed: the host searches attributes and answers with keys. */
  onSearch(text: string): void;
  /** Enter on a row: open its source when it has one. */
  onActivate(key: number): void;
}

interface LabelRow {
  readonly root: HTMLDivElement;
  readonly twisty: HTMLSpanElement;
  readonly chip: HTMLSpanElement;
  readonly name: HTMLSpanElement;
  readonly badge: HTMLSpanElement;
  row: number;
  /** TimelineView.version when the row was last filled: collapse and filter changes refill it. */
  version: number;
}

export class TimelineView {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly labels: HTMLDivElement;
  private readonly bars: HTMLCanvasElement;
  private readonly axis: HTMLCanvasElement;
  private readonly axisCtx: CanvasRenderingContext2D;
  private readonly renderer: WaterfallRenderer;
  private readonly minimap: Minimap;
  private readonly pool: LabelRow[] = [];
  private palette: Palette;

  private model: RowModel | undefined;
  private visible: Int32Array = new Int32Array(0);
  private collapsedKeys = new Set<number>();
  private filter: RowFilter = { text: '', minDurationMs: 0, errorsOnly: false };
  private matches: Uint8Array | undefined;
  private matchesOnly = false;
  private showCritical = false;
  private critical: Uint8Array | undefined;
  private selectedKey: number | undefined;
  private bounds: TimeWindow = { start: 0, end: 1 };
  private window: TimeWindow = { start: 0, end: 1 };
  private userZoomed = false;
  private frame = 0;
  private drag: { x: number; window: TimeWindow; moved: boolean } | undefined;
  private nameWidth = 320;
  private version = 0;

  constructor(private readonly events: TimelineViewEvents) {
    this.element = el('div', 'timeline');
    const minimapCanvas = el('canvas', 'minimap', undefined, { 'aria-label': 'Overview of the run; drag to zoom to a time range', role: 'img' });
    this.minimap = new Minimap(
      minimapCanvas,
      pick => {
        const width = this.window.end - this.window.start;
        this.setWindow('center' in pick ? { start: pick.center - width / 2, end: pick.center + width / 2 } : pick);
      },
      () => this.bounds,
    );
    const header = el('div', 'axis-header');
    const nameHeader = el('div', 'name-header', 'Span');
    this.axis = el('canvas', 'axis', undefined, { 'aria-hidden': 'true' });
    this.axisCtx = this.axis.getContext('2d')!;
    header.append(nameHeader, this.axis);
    this.scroller = el('div', 'scroller', undefined, { tabindex: '0', role: 'tree', 'aria-label': 'Spans of the run' });
    this.viewport = el('div', 'viewport');
    this.labels = el('div', 'labels', undefined, { role: 'presentation' });
    this.bars = el('canvas', 'bars', undefined, { 'aria-hidden': 'true' });
    this.viewport.append(this.labels, this.bars);
    this.spacer = el('div', 'spacer');
    this.scroller.append(this.viewport, this.spacer);
    this.element.append(minimapCanvas, header, this.scroller);
    this.renderer = new WaterfallRenderer(this.bars);
    this.palette = readPalette();
    this.element.style.setProperty('--name-width', `${this.nameWidth}px`);

    this.scroller.addEventListener('scroll', () => this.requestDraw(), { passive: true });
    this.scroller.addEventListener('wheel', e => this.onWheel(e), { passive: false });
    this.scroller.addEventListener('keydown', e => this.onKey(e));
    this.labels.addEventListener('click', e => this.onLabelClick(e));
    this.bars.addEventListener('mousedown', e => this.onBarsDown(e));
    window.addEventListener('mousemove', e => this.onDragMove(e));
    window.addEventListener('mouseup', e => this.onDragEnd(e));
    this.bars.addEventListener('dblclick', e => {
      const row = this.rowAtY(e.offsetY);
      if (row >= 0) this.zoomToRow(row);
    });
    new ResizeObserver(() => this.requestDraw()).observe(this.element);
    onThemeChange(() => {
      this.palette = readPalette();
      this.minimap.invalidate();
      this.requestDraw();
    });
  }

  /**
   * While the host builds the first state: sizes the canvases, creates the row elements and loads the font, so
   * the first frame with rows does only the drawing. Called once the ready message is out.
   */
  prepare(): void {
    if (!this.model) this.requestDraw();
  }

  /** New rows. `sameRun`: keep the zoom, scroll position and selection (a live update of the shown run). */
  setRows(rows: RowColumns, sameRun: boolean): void {
    const topKey = sameRun && this.model && this.visible.length > 0 ? this.model.key[this.visible[this.firstVisiblePos()]!]! : undefined;
    const oldOffset = this.scroller.scrollTop % ROW_HEIGHT;
    this.model = buildRowModel(rows);
    this.bounds = fitWindow(this.model.minTime, this.model.maxTime);
    if (!sameRun) {
      this.collapsedKeys.clear();
      this.selectedKey = undefined;
      this.userZoomed = false;
      this.filter = { ...this.filter, hostKeys: undefined };
    }
    if (!this.userZoomed) this.window = this.bounds;
    this.minimap.invalidate();
    this.recompute();
    if (topKey !== undefined) {
      const pos = this.positionOfKey(topKey);
      if (pos >= 0) this.scroller.scrollTop = pos * ROW_HEIGHT + oldOffset;
    } else if (!sameRun) this.scroller.scrollTop = 0;
    if (this.selectedKey !== undefined && this.model.indexOfKey(this.selectedKey) < 0) this.select(undefined);
    this.requestDraw();
  }

  get rowCount(): number {
    return this.model?.count ?? 0;
  }

  get visibleCount(): number {
    return this.visible.length;
  }

  get matchCount(): number {
    if (!this.matches) return 0;
    let n = 0;
    for (let i = 0; i < this.matches.length; i++) n += this.matches[i]!;
    return n;
  }

  setFilter(filter: RowFilter): void {
    const textChanged = filter.text !== this.filter.text;
    this.filter = textChanged ? { ...filter, hostKeys: undefined } : { ...filter, hostKeys: this.filter.hostKeys };
    if (textChanged && filter.text.trim() !== '') this.events.onSearch(filter.text);
    this.recompute();
    this.requestDraw();
  }

  /** The host's attribute matches for `text` (ignored if the text changed meanwhile). */
  setHostMatches(text: string, keys: readonly number[]): void {
    if (text !== this.filter.text) return;
    this.filter = { ...this.filter, hostKeys: new Set(keys) };
    this.recompute();
    this.requestDraw();
  }

  setMatchesOnly(on: boolean): void {
    this.matchesOnly = on;
    this.recompute();
    this.requestDraw();
  }

  setCriticalPath(on: boolean): void {
    this.showCritical = on;
    this.critical = undefined;
    this.recompute();
    this.requestDraw();
  }

  /** Moves the selection to the next (or previous) match. */
  nextMatch(backwards = false): void {
    if (!this.matches) return;
    const pos = nextMatch(this.visible, this.matches, this.selectedPos(), backwards);
    if (pos >= 0) this.selectPos(pos);
  }

  focus(): void {
    this.scroller.focus();
  }

  select(key: number | undefined): void {
    if (key === this.selectedKey) return;
    this.selectedKey = key;
    this.events.onSelect(key);
    this.requestDraw();
  }

  get selected(): number | undefined {
    return this.selectedKey;
  }

  /** Fits the whole run into the width. */
  resetZoom(): void {
    this.userZoomed = false;
    this.window = this.bounds;
    this.requestDraw();
  }

  zoomBy(factor: number, anchor?: number): void {
    const a = anchor ?? (this.window.start + this.window.end) / 2;
    this.setWindow(zoomAround(this.window, a, factor, this.bounds));
  }

  panByFraction(fraction: number): void {
    this.setWindow(panBy(this.window, (this.window.end - this.window.start) * fraction, this.bounds));
  }

  get timeWindow(): TimeWindow {
    return this.window;
  }

  private setWindow(win: TimeWindow): void {
    this.userZoomed = true;
    this.window = zoomAround(win, win.start, 1, this.bounds);
    this.requestDraw();
  }

  private recompute(): void {
    const model = this.model;
    if (!model) return;
    this.version++;
    this.matches = matchRows(model, this.filter);
    if (this.showCritical && !this.critical) this.critical = criticalPath(model);
    const collapsed = new Set<number>();
    for (const k of this.collapsedKeys) {
      const i = model.indexOfKey(k);
      if (i >= 0) collapsed.add(i);
    }
    const shown = this.matchesOnly && this.matches ? withAncestors(model, this.matches) : undefined;
    this.visible = visibleRows(model, collapsed, shown);
    this.spacer.style.height = `${Math.max(0, this.visible.length * ROW_HEIGHT - this.scroller.clientHeight)}px`;
    this.element.classList.toggle('filtered', isActive(this.filter));
  }

  private requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Draws now (the benchmark and tests call it to measure a frame). */
  draw(): void {
    const height = this.scroller.clientHeight;
    const width = Math.max(10, this.scroller.clientWidth - this.nameWidth);
    this.viewport.style.height = `${height}px`;
    this.spacer.style.height = `${Math.max(0, this.visible.length * ROW_HEIGHT - height)}px`;
    const scrollTop = Math.min(this.scroller.scrollTop, maxScrollTop(this.visible.length, ROW_HEIGHT, height));
    const range = visibleRange(scrollTop, height, ROW_HEIGHT, this.visible.length, 1);
    this.renderer.resize(width, height);
    this.minimap.resize(this.minimap.canvas.clientWidth || width + this.nameWidth, 36);
    this.drawAxis(width);
    if (!this.model) {
      this.prepareRows(height);
      return;
    }
    const selected = this.selectedKey === undefined ? -1 : this.model.indexOfKey(this.selectedKey);
    this.renderer.draw({
      model: this.model,
      visible: this.visible,
      range,
      scrollTop,
      rowHeight: ROW_HEIGHT,
      window: this.window,
      selected,
      matches: this.matches,
      critical: this.showCritical ? this.critical : undefined,
      palette: this.palette,
    });
    this.updateLabels(range, scrollTop, selected);
    this.minimap.draw(this.model, this.window, { first: range.first, end: range.end, total: this.visible.length }, this.palette);
  }

  private drawAxis(width: number): void {
    const dpr = window.devicePixelRatio || 1;
    const h = 22;
    if (this.axis.width !== Math.round(width * dpr) || this.axis.height !== Math.round(h * dpr)) {
      this.axis.width = Math.round(width * dpr);
      this.axis.height = Math.round(h * dpr);
      this.axis.style.width = `${width}px`;
      this.axis.style.height = `${h}px`;
    }
    const ctx = this.axisCtx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, h);
    ctx.font = this.palette.font;
    ctx.textBaseline = 'middle';
    const { step, values } = ticks(this.window, width);
    for (const t of values) {
      const x = Math.round(timeToX(t, this.window, width));
      ctx.fillStyle = this.palette.grid;
      ctx.fillRect(x, 0, 1, h);
      ctx.fillStyle = this.palette.muted;
      ctx.fillText(formatTick(t, step), x + 3, h / 2);
    }
  }

  private updateLabels(range: { first: number; end: number }, scrollTop: number, selected: number): void {
    const model = this.model!;
    const need = range.end - range.first;
    while (this.pool.length < need) this.pool.push(this.makeLabelRow());
    let activeId = '';
    for (let j = 0; j < this.pool.length; j++) {
      const r = this.pool[j]!;
      if (j >= need) {
        r.root.hidden = true;
        r.row = -1;
        continue;
      }
      const pos = range.first + j;
      const i = this.visible[pos]!;
      r.root.hidden = false;
      r.root.style.transform = `translateY(${pos * ROW_HEIGHT - scrollTop}px)`;
      const isSelected = i === selected;
      if (isSelected) activeId = r.root.id;
      if (r.row === i && r.version === this.version && r.root.dataset.sel === String(isSelected)) continue;
      r.row = i;
      r.version = this.version;
      const flags = model.flags[i]!;
      const cls = SPAN_CLASS_NAMES[model.cls[i]!] ?? 'generic';
      const name = model.names[model.name[i]!] ?? '';
      const hasKids = model.subtreeEnd[i]! > i + 1;
      const collapsed = this.collapsedKeys.has(model.key[i]!);
      r.root.style.paddingLeft = `${4 + model.depth[i]! * INDENT}px`;
      r.twisty.textContent = hasKids ? (collapsed ? '▸' : '▾') : '';
      r.chip.dataset.cls = cls;
      r.chip.textContent = cls;
      r.name.textContent = name;
      r.badge.textContent = flags & SpanFacts.inferredEdge ? 'inferred' : '';
      r.root.dataset.key = String(model.key[i]);
      r.root.dataset.sel = String(isSelected);
      r.root.dataset.match = String(!!this.matches?.[i]);
      r.root.classList.toggle('error', (flags & SpanFacts.error) !== 0);
      r.root.classList.toggle('placeholder', (flags & SpanFacts.placeholder) !== 0);
      r.root.setAttribute('aria-level', String(model.depth[i]! + 1));
      r.root.setAttribute('aria-selected', String(isSelected));
      if (hasKids) r.root.setAttribute('aria-expanded', String(!collapsed));
      else r.root.removeAttribute('aria-expanded');
      const parts = [name, cls, formatDuration(model.duration[i]!)];
      if (flags & SpanFacts.error) parts.push('error');
      if (flags & SpanFacts.inferredEdge) parts.push('parent inferred from timing');
      if (flags & SpanFacts.placeholder) parts.push('parent not received');
      r.root.setAttribute('aria-label', parts.join(', '));
    }
    if (activeId) this.scroller.setAttribute('aria-activedescendant', activeId);
    else this.scroller.removeAttribute('aria-activedescendant');
  }

  /** Before any rows: the label elements a screenful needs (hidden), and the font's first use. */
  private prepareRows(height: number): void {
    const need = Math.ceil(height / ROW_HEIGHT) + 3;
    while (this.pool.length < need) {
      const r = this.makeLabelRow();
      r.root.hidden = true;
      this.pool.push(r);
    }
    this.renderer.warmUp(this.palette);
  }

  private makeLabelRow(): LabelRow {
    const root = el('div', 'row', undefined, { role: 'treeitem', id: `row-${this.pool.length}` });
    const twisty = el('span', 'twisty');
    const chip = el('span', 'chip');
    const name = el('span', 'name');
    const badge = el('span', 'badge');
    root.append(twisty, chip, name, badge);
    this.labels.append(root);
    return { root, twisty, chip, name, badge, row: -1, version: -1 };
  }

  private onLabelClick(e: MouseEvent): void {
    const target = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (!target?.dataset.key) return;
    const key = Number(target.dataset.key);
    if ((e.target as HTMLElement).classList.contains('twisty')) this.toggle(key);
    else this.select(key);
    this.scroller.focus();
  }

  private toggle(key: number, expand?: boolean): void {
    const collapsed = this.collapsedKeys.has(key);
    if (expand === undefined ? collapsed : expand) this.collapsedKeys.delete(key);
    else this.collapsedKeys.add(key);
    this.recompute();
    this.requestDraw();
  }

  private rowAtY(offsetY: number): number {
    const pos = Math.floor((offsetY + this.scroller.scrollTop) / ROW_HEIGHT);
    return pos >= 0 && pos < this.visible.length ? this.visible[pos]! : -1;
  }

  private onBarsDown(e: MouseEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: e.clientX, window: this.window, moved: false };
    e.preventDefault();
    this.scroller.focus();
  }

  private onDragMove(e: MouseEvent): void {
    if (!this.drag) return;
    const dx = e.clientX - this.drag.x;
    if (Math.abs(dx) > 3) this.drag.moved = true;
    if (!this.drag.moved) return;
    const width = Math.max(1, this.bars.clientWidth);
    const w = this.drag.window;
    this.setWindow(panBy(w, (-dx / width) * (w.end - w.start), this.bounds));
  }

  private onDragEnd(e: MouseEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    if (!drag || drag.moved || e.target !== this.bars) return;
    const row = this.rowAtY(e.offsetY);
    if (row >= 0 && this.model) this.select(this.model.key[row]);
  }

  private onWheel(e: WheelEvent): void {
    const width = Math.max(1, this.bars.clientWidth);
    const rect = this.bars.getBoundingClientRect();
    const overBars = e.clientX >= rect.left;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      const anchor = overBars ? xToTime(e.clientX - rect.left, this.window, width) : undefined;
      this.zoomBy(Math.exp(e.deltaY * 0.002), anchor);
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      const delta = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
      this.setWindow(panBy(this.window, (delta / width) * (this.window.end - this.window.start), this.bounds));
    }
  }

  private onKey(e: KeyboardEvent): void {
    const model = this.model;
    if (!model) return;
    const pos = this.selectedPos();
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    const i = pos >= 0 ? this.visible[pos]! : -1;
    const handled = (() => {
      switch (e.key) {
        case 'ArrowDown':
          return this.selectPos(Math.min(this.visible.length - 1, pos + 1));
        case 'ArrowUp':
          return this.selectPos(Math.max(0, pos - 1));
        case 'PageDown':
          return this.selectPos(Math.min(this.visible.length - 1, pos + page));
        case 'PageUp':
          return this.selectPos(Math.max(0, pos - page));
        case 'Home':
          return this.selectPos(0);
        case 'End':
          return this.selectPos(this.visible.length - 1);
        case 'ArrowLeft':
          if (e.shiftKey) return this.panByFraction(-0.2);
          if (i < 0) return false;
          if (model.subtreeEnd[i]! > i + 1 && !this.collapsedKeys.has(model.key[i]!)) return this.toggle(model.key[i]!, false);
          if (model.parent[i]! >= 0) return this.selectPos(this.positionOfKey(model.key[model.parent[i]!]!));
          return true;
        case 'ArrowRight':
          if (e.shiftKey) return this.panByFraction(0.2);
          if (i < 0) return false;
          if (this.collapsedKeys.has(model.key[i]!)) return this.toggle(model.key[i]!, true);
          if (model.subtreeEnd[i]! > i + 1) return this.selectPos(pos + 1);
          return true;
        case ' ':
          if (i >= 0 && model.subtreeEnd[i]! > i + 1) this.toggle(model.key[i]!);
          return true;
        case 'Enter':
          if (i >= 0) this.events.onActivate(model.key[i]!);
          return true;
        case '+':
        case '=':
          return this.zoomBy(0.5, i >= 0 ? model.start[i]! + model.duration[i]! / 2 : undefined);
        case '-':
          return this.zoomBy(2);
        case '0':
          return this.resetZoom();
        case 'z':
          if (i >= 0) this.zoomToRow(i);
          return true;
        case 'F3':
        case 'n':
          return this.nextMatch(e.shiftKey);
        default:
          return false;
      }
    })();
    if (handled !== false) e.preventDefault();
  }

  private zoomToRow(i: number): void {
    const model = this.model!;
    const d = Math.max(model.duration[i]!, 0.001);
    this.setWindow({ start: model.start[i]! - d * 0.05, end: model.start[i]! + d * 1.05 });
  }

  private selectedPos(): number {
    return this.selectedKey === undefined ? -1 : this.positionOfKey(this.selectedKey);
  }

  private positionOfKey(key: number): number {
    const i = this.model?.indexOfKey(key) ?? -1;
    if (i < 0) return -1;
    // visible is ascending by row index: binary search.
    let lo = 0;
    let hi = this.visible.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.visible[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return this.visible[lo] === i ? lo : -1;
  }

  private firstVisiblePos(): number {
    return Math.min(this.visible.length - 1, Math.floor(this.scroller.scrollTop / ROW_HEIGHT));
  }

  private selectPos(pos: number): boolean {
    if (pos < 0 || pos >= this.visible.length || !this.model) return true;
    this.select(this.model.key[this.visible[pos]!]);
    this.scroller.scrollTop = scrollToReveal(this.scroller.scrollTop, this.scroller.clientHeight, ROW_HEIGHT, pos);
    this.requestDraw();
    return true;
  }

  /** For the benchmark: scroll to a list position and draw synchronously. */
  scrollToPosition(pos: number): void {
    this.scroller.scrollTop = pos * ROW_HEIGHT;
  }
}
