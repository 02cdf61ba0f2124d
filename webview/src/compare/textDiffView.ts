// A text diff side by side: run A on the left, run B on the right, the removed and added parts marked by class
// (the editor's diff colours). Every part is set as textContent: the text is span data.
import type { TextChangeView } from '../../../extension/src/protocol/comparisonProtocol';
import { el } from '../dom';
import { type Segment, type Side, chatBlocks, sideSegments } from './textDiff';

function segmentsInto(parent: HTMLElement, segments: readonly Segment[]): void {
  for (const s of segments) parent.append(el('span', `diff-${s.kind}`, s.text));
}

function sideView(change: TextChangeView, side: Side, chat: boolean): HTMLElement {
  const col = el('div', `diff-side diff-side-${side}`);
  const present = side === 'a' ? change.a !== undefined : change.b !== undefined;
  if (!present) {
    col.append(el('div', 'empty', side === 'a' ? 'not in A' : 'not in B'));
    return col;
  }
  const segments = sideSegments(change.parts, side);
  if (!chat) {
    const pre = el('pre', 'diff-text');
    segmentsInto(pre, segments);
    col.append(pre);
    return col;
  }
  for (const block of chatBlocks(segments)) {
    const box = el('div', 'msg', undefined, { 'data-role': block.role, role: 'article', 'aria-label': `${block.role || 'text'} message` });
    if (block.role) box.append(el('div', 'msg-role', block.role));
    const pre = el('pre', 'diff-text');
    segmentsInto(pre, block.segments);
    box.append(pre);
    col.append(box);
  }
  return col;
}

/** The two sides of a text change next to each other, under a title. */
export function textDiffView(title: string, change: TextChangeView, chat = false): HTMLElement {
  const root = el('div', 'text-diff', undefined, { 'data-field': title });
  const grid = el('div', 'diff-grid');
  grid.append(el('div', 'diff-head', 'A (before)'), el('div', 'diff-head', 'B (after)'), sideView(change, 'a', chat), sideView(change, 'b', chat));
  const unchanged = change.parts.every(p => p.kind === 'same');
  if (unchanged) root.append(el('div', 'diff-note', 'unchanged'));
  if (change.note) root.append(el('div', 'diff-note', `not diffed: ${change.note}`));
  root.append(grid);
  return root;
}
