// Attribute lists: searchable by key or value, each value copyable, long values folded behind "show all".
import type { AttributeView } from '../../../extension/src/protocol/timelineProtocol';
import { button, el } from '../dom';

/** Values longer than this start folded. */
export const FOLD_CHARS = 400;

export function foldedValue(text: string, className: string, copy: (text: string) => void, limit = FOLD_CHARS): HTMLElement {
  const box = el('div', `value ${className}`);
  const pre = el('pre', 'value-text');
  box.append(pre);
  if (text.length <= limit) {
    pre.textContent = text;
    return box;
  }
  let open = false;
  const more = button('', () => {
    open = !open;
    render();
  }, 'link');
  const render = () => {
    pre.textContent = open ? text : `${text.slice(0, limit)}…`;
    more.textContent = open ? 'show less' : `show all (${text.length.toLocaleString('en-US')} characters)`;
    more.setAttribute('aria-expanded', String(open));
  };
  render();
  box.append(more, button('copy', () => copy(text), 'link'));
  return box;
}

export function attributeTable(attributes: readonly AttributeView[], copy: (text: string) => void, searchable = true): HTMLElement {
  const root = el('div', 'attrs');
  const table = el('div', 'attr-table', undefined, { role: 'table' });
  const rows: { row: HTMLElement; text: string }[] = [];
  for (const a of attributes) {
    const row = el('div', 'attr-row', undefined, { role: 'row' });
    const key = el('div', 'attr-key', a.key, { role: 'cell', title: `${a.key} (${a.type})` });
    const value = el('div', 'attr-value', undefined, { role: 'cell' });
    value.append(foldedValue(a.value, `type-${a.type}`, copy));
    const actions = el('div', 'attr-actions', undefined, { role: 'cell' });
    actions.append(button('copy', () => copy(a.value), 'link', `Copy the value of ${a.key}`));
    row.append(key, value, actions);
    table.append(row);
    rows.push({ row, text: `${a.key}\u0000${a.value}`.toLowerCase() });
  }
  if (searchable && attributes.length > 6) {
    const search = el('input', 'attr-search', undefined, { type: 'search', placeholder: 'Filter attributes', 'aria-label': 'Filter attributes' });
    search.addEventListener('input', () => {
      const q = search.value.trim().toLowerCase();
      for (const r of rows) r.row.hidden = q !== '' && !r.text.includes(q);
    });
    root.append(search);
  }
  if (attributes.length === 0) root.append(el('div', 'empty', 'none'));
  root.append(table);
  return root;
}
