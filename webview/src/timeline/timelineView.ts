// The waterfall: a name column of recycled DOM rows (text, focus, screen-reader labels) beside one canvas of
// bars, both inside a scroller whose height is rows × row height, under an overview and a time axis. Only the
// rows on screen exist as elements or get drawn. This class lays the parts out and draws them in one frame;
// what they show is held by the list (rows, collapse, filter), the selection and the zoom state, each kept by
// row key, so a live update that inserts rows keeps what the user was looking at. A comparison of two runs uses
// the same parts: its pairs are the rows (compare/comparisonModel.ts), drawn with both runs' bars.
import type { RowColumns } from '../../../extension/src/protocol/timelineProtocol';
import type { ComparisonModel } from '../compare/comparisonModel';
import { el } from '../dom';
import { AxisHeader } from './axisHeader';
import { bindKeyboard } from './keyboardInput';
import { Minimap } from './minimap';
import { bindPointer } from './pointerInput';
import { RowLabels } from './rowLabels';
import { RowList } from './rowList';
import type { RowFilter } from './searchFilter';
import { Selection } from './selection';
import { type Palette, onThemeChange, readPalette } from './theme';
import { type TimeWindow, fitWindow } from './timeAxis';
import { ROW_HEIGHT, maxScrollTop, scrollToReveal, visibleRange } from './virtualList';
import { WaterfallRenderer } from './waterfallRenderer';
import { ZoomState } from './zoomState';

/** Width of the name column, CSS pixels. */
const NAME_WIDTH = 320;
/** Height of the overview, CSS pixels. */
const MINIMAP_HEIGHT = 36;

export interface TimelineViewEvents {
  /** The selected span changed (undefined: nothing selected). */
  onSelect(key: number | undefined): void;
  /** The filter text changed: the host searches attributes and answers with keys. */
  onSearch(text: string): void;
  /** Enter on a row: open its source when it has one. */
  onActivate(key: number): void;
}

export class TimelineView {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly header = new AxisHeader();
  private readonly labels: RowLabels;
  private readonly renderer: WaterfallRenderer;
  private readonly minimap: Minimap;
  private palette: Palette;
  private frame = 0;

  private readonly list = new RowList(() => this.onListChange());
  private readonly zoom = new ZoomState(() => this.requestDraw());
  private readonly selection: Selection;
  /** The comparison whose pairs are the rows, or undefined for a run's rows. */
  private pairs: ComparisonModel | undefined;
  private changedOnly = false;

  constructor(private readonly events: TimelineViewEvents) {
    this.element = el('div', 'timeline');
    this.element.style.setProperty('--name-width', `${NAME_WIDTH}px`);
    this.scroller = el('div', 'scroller', undefined, { tabindex: '0', role: 'tree', 'aria-label': 'Spans of the run' });
    this.selection = new Selection(
      this.list,
      key => {
        this.events.onSelect(key);
        this.requestDraw();
      },
      pos => this.reveal(pos),
    );
    const minimapCanvas = el('canvas', 'minimap', undefined, { 'aria-label': 'Overview of the run; drag to zoom to a time range', role: 'img' });
    this.minimap = new Minimap(
      minimapCanvas,
      pick => ('center' in pick ? this.zoom.centerOn(pick.center) : this.zoom.show(pick)),
      () => this.zoom.runBounds,
    );
    this.viewport = el('div', 'viewport');
    this.labels = new RowLabels(this.scroller);
    const bars = el('canvas', 'bars', undefined, { 'aria-hidden': 'true' });
    this.viewport.append(this.labels.element, bars);
    this.spacer = el('div', 'spacer');
    this.scroller.append(this.viewport, this.spacer);
    this.element.append(minimapCanvas, this.header.element, this.scroller);
    this.renderer = new WaterfallRenderer(bars);
    this.palette = readPalette();

    const { list, selection, zoom, scroller } = this;
    bindKeyboard(scroller, {
      list,
      selection,
      zoom,
      pageRows: () => Math.max(1, Math.floor(scroller.clientHeight / ROW_HEIGHT) - 1),
      activate: key => this.events.onActivate(key),
      nextChange: backwards => this.nextChange(backwards),
    });
    bindPointer({ scroller, labels: this.labels.element, bars, list, selection, zoom });
    scroller.addEventListener('scroll', () => this.requestDraw(), { passive: true });
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
    if (!this.list.model) this.requestDraw();
  }

  /**
   * New rows. `sameRun`: keep the zoom, scroll position and selection (a live update of the shown run or
   * comparison). `comparison`: the rows are its pairs (comparison.rows).
   */
  setRows(rows: RowColumns, sameRun: boolean, comparison?: ComparisonModel): void {
    this.pairs = comparison;
    this.element.classList.toggle('compare', comparison !== undefined);
    this.scroller.setAttribute('aria-label', comparison ? 'Aligned spans of run A and run B; F7 and Shift+F7 go to the next and previous change' : 'Spans of the run');
    if (comparison) this.scroller.setAttribute('aria-keyshortcuts', 'F7 Shift+F7 ] [');
    else this.scroller.removeAttribute('aria-keyshortcuts');
    const top = sameRun ? this.list.rowAt(this.firstVisiblePos()) : -1;
    const topKey = top >= 0 ? this.list.model!.key[top] : undefined;
    const oldOffset = this.scroller.scrollTop % ROW_HEIGHT;
    if (!sameRun) this.selection.forget();
    this.list.setRows(rows, sameRun);
    if (comparison && this.changedOnly) this.list.restrict(comparison.changed);
    const model = this.list.model!;
    this.zoom.fit(fitWindow(model.minTime, model.maxTime), !sameRun);
    this.minimap.invalidate();
    if (topKey !== undefined) {
      const pos = this.list.positionOfKey(topKey);
      if (pos >= 0) this.scroller.scrollTop = pos * ROW_HEIGHT + oldOffset;
    } else if (!sameRun) this.scroller.scrollTop = 0;
    this.selection.dropIfGone();
    this.requestDraw();
  }

  get rowCount(): number {
    return this.list.model?.count ?? 0;
  }

  get visibleCount(): number {
    return this.list.visible.length;
  }

  get matchCount(): number {
    return this.list.matchCount;
  }

  setFilter(filter: RowFilter): void {
    if (this.list.setFilter(filter) && filter.text.trim() !== '') this.events.onSearch(filter.text);
  }

  /** The host's attribute matches for `text` (ignored if the text changed meanwhile). */
  setHostMatches(text: string, keys: readonly number[]): void {
    this.list.setHostMatches(text, keys);
  }

  setMatchesOnly(on: boolean): void {
    this.list.setMatchesOnly(on);
  }

  setCriticalPath(on: boolean): void {
    this.list.setCriticalPath(on);
  }

  /** A comparison's "changed only": pairs with any change, and their ancestors for context. */
  setChangedOnly(on: boolean): void {
    this.changedOnly = on;
    this.list.restrict(on ? this.pairs?.changed : undefined);
    this.selection.dropIfGone();
  }

  /** Rows on the list now (after collapse and filters). */
  get listedCount(): number {
    return this.list.visible.length;
  }

  /** Moves the selection to the next (or previous) changed pair, wrapping; false when the rows are not a comparison. */
  nextChange(backwards = false): boolean {
    if (!this.pairs) return false;
    this.selection.nextIn(this.pairs.changed, backwards);
    return true;
  }

  /** The comparison whose pairs are shown, if any. */
  get comparison(): ComparisonModel | undefined {
    return this.pairs;
  }

  /** Moves the selection to the next (or previous) match. */
  nextMatch(backwards = false): void {
    this.selection.nextMatch(backwards);
  }

  focus(): void {
    this.scroller.focus();
  }

  select(key: number | undefined): void {
    this.selection.select(key);
  }

  get selected(): number | undefined {
    return this.selection.key;
  }

  /** Fits the whole run into the width. */
  resetZoom(): void {
    this.zoom.reset();
  }

  zoomBy(factor: number, anchor?: number): void {
    this.zoom.zoomBy(factor, anchor);
  }

  panByFraction(fraction: number): void {
    this.zoom.panBy(fraction);
  }

  get timeWindow(): TimeWindow {
    return this.zoom.window;
  }

  /** For the benchmark: scroll to a list position (the scroll event draws). */
  scrollToPosition(pos: number): void {
    this.scroller.scrollTop = pos * ROW_HEIGHT;
  }

  /** Draws now (the benchmark and tests call it to measure a frame). */
  draw(): void {
    const visible = this.list.visible;
    const height = this.scroller.clientHeight;
    const width = Math.max(10, this.scroller.clientWidth - NAME_WIDTH);
    this.viewport.style.height = `${height}px`;
    this.spacer.style.height = `${Math.max(0, visible.length * ROW_HEIGHT - height)}px`;
    const scrollTop = Math.min(this.scroller.scrollTop, maxScrollTop(visible.length, ROW_HEIGHT, height));
    const range = visibleRange(scrollTop, height, ROW_HEIGHT, visible.length, 1);
    this.renderer.resize(width, height);
    // The column's width, not the canvas's own: sizing sets the canvas's CSS width, which would then never shrink.
    this.minimap.resize(this.element.clientWidth || width + NAME_WIDTH, MINIMAP_HEIGHT);
    this.header.draw(this.zoom.window, width, this.palette);
    const model = this.list.model;
    if (!model) {
      // Before any rows: the label elements a screenful needs, and the font's first use.
      this.labels.prepare(height);
      this.renderer.warmUp(this.palette);
      return;
    }
    const selected = this.selection.row;
    this.renderer.draw({
      model,
      visible,
      range,
      scrollTop,
      rowHeight: ROW_HEIGHT,
      window: this.zoom.window,
      selected,
      matches: this.list.matches,
      critical: this.list.critical,
      palette: this.palette,
      ...(this.pairs ? { comparison: this.pairs } : {}),
    });
    this.labels.update(this.list, range, scrollTop, selected, this.pairs);
    this.minimap.draw(model, this.zoom.window, { first: range.first, end: range.end, total: visible.length }, this.palette);
  }

  private requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private onListChange(): void {
    this.spacer.style.height = `${Math.max(0, this.list.visible.length * ROW_HEIGHT - this.scroller.clientHeight)}px`;
    this.element.classList.toggle('filtered', this.list.filtered);
    this.requestDraw();
  }

  private reveal(pos: number): void {
    this.scroller.scrollTop = scrollToReveal(this.scroller.scrollTop, this.scroller.clientHeight, ROW_HEIGHT, pos);
    this.requestDraw();
  }

  private firstVisiblePos(): number {
    return Math.min(this.list.visible.length - 1, Math.floor(this.scroller.scrollTop / ROW_HEIGHT));
  }
}
