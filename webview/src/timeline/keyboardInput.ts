// The list's keys. Arrows, Home/End and pages move and fold like any tree view (WAI-ARIA treeview: Left folds
// or goes to the parent, Right unfolds or goes to the first child); Shift+Left/Right pans, + - 0 z zoom, n and
// F3 go to the next match, F7 (or ]) to the next change of a comparison, Enter activates. A key the list does not use keeps its default action.
import type { RowList } from './rowList';
import type { Selection } from './selection';
import type { ZoomState } from './zoomState';

/** Pan step of Shift+Left/Right, as a fraction of the window. */
const PAN_STEP = 0.2;

export interface KeyboardTarget {
  readonly list: RowList;
  readonly selection: Selection;
  readonly zoom: ZoomState;
  /** Rows a page key moves. */
  pageRows(): number;
  /** Enter on a row. */
  activate(key: number): void;
  /** F7 / Shift+F7 (or ] / [): the next or previous change; absent when there are no changes (a single run). */
  nextChange?(backwards: boolean): boolean;
}

export function bindKeyboard(tree: HTMLElement, target: KeyboardTarget): void {
  tree.addEventListener('keydown', e => {
    if (onKey(e, target)) e.preventDefault();
  });
}

/** Does what the key means; false when the key is not the list's. */
function onKey(e: KeyboardEvent, target: KeyboardTarget): boolean {
  const { list, selection, zoom } = target;
  const model = list.model;
  if (!model) return false;
  const pos = selection.position;
  const last = list.visible.length - 1;
  const i = list.rowAt(pos);
  const key = i >= 0 ? model.key[i]! : -1;
  switch (e.key) {
    case 'ArrowDown':
      selection.selectPosition(Math.min(last, pos + 1));
      return true;
    case 'ArrowUp':
      selection.selectPosition(Math.max(0, pos - 1));
      return true;
    case 'PageDown':
      selection.selectPosition(Math.min(last, pos + target.pageRows()));
      return true;
    case 'PageUp':
      selection.selectPosition(Math.max(0, pos - target.pageRows()));
      return true;
    case 'Home':
      selection.selectPosition(0);
      return true;
    case 'End':
      selection.selectPosition(last);
      return true;
    case 'ArrowLeft':
      if (e.shiftKey) zoom.panBy(-PAN_STEP);
      else if (i < 0) return false;
      else if (list.hasChildren(i) && !list.isCollapsed(key)) list.toggle(key, false);
      else if (model.parent[i]! >= 0) selection.selectPosition(list.positionOfKey(model.key[model.parent[i]!]!));
      return true;
    case 'ArrowRight':
      if (e.shiftKey) zoom.panBy(PAN_STEP);
      else if (i < 0) return false;
      else if (list.isCollapsed(key)) list.toggle(key, true);
      else if (list.hasChildren(i)) selection.selectPosition(pos + 1);
      return true;
    case ' ':
      if (i >= 0 && list.hasChildren(i)) list.toggle(key);
      return true;
    case 'Enter':
      if (i >= 0) target.activate(key);
      return true;
    case '+':
    case '=':
      zoom.zoomBy(0.5, i >= 0 ? model.start[i]! + model.duration[i]! / 2 : undefined);
      return true;
    case '-':
      zoom.zoomBy(2);
      return true;
    case '0':
      zoom.reset();
      return true;
    case 'z':
      if (i >= 0) zoom.showSpan(model.start[i]!, model.duration[i]!);
      return true;
    case 'F3':
    case 'n':
    case 'N':
      selection.nextMatch(e.shiftKey);
      return true;
    case 'F7':
      return target.nextChange?.(e.shiftKey) ?? false;
    case ']':
    case '[':
      return target.nextChange?.(e.key === '[') ?? false;
    default:
      return false;
  }
}
