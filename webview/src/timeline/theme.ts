// Colours come from the theme: the CSS maps each span class to a VS Code chart colour (with fallbacks for the
// stand-alone page), and the canvas reads them back here, again whenever the theme changes.
import { SPAN_CLASS_NAMES } from '../../../extension/src/protocol/timelineProtocol';

export interface Palette {
  readonly cls: readonly string[];
  readonly error: string;
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly selection: string;
  readonly match: string;
  readonly critical: string;
  /** A comparison's rows: only in B, only in A, changed (the editor's git decoration colours). */
  readonly added: string;
  readonly removed: string;
  readonly modified: string;
  readonly background: string;
  readonly border: string;
  readonly font: string;
  /** High contrast themes: outline bars instead of relying on fill colour. */
  readonly highContrast: boolean;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    cls: SPAN_CLASS_NAMES.map(c => v(`--mt-class-${c}`, '#888')),
    error: v('--mt-error', '#f14c4c'),
    foreground: v('--mt-foreground', '#ccc'),
    muted: v('--mt-muted', '#999'),
    grid: v('--mt-grid', 'rgba(128,128,128,0.2)'),
    selection: v('--mt-selection', 'rgba(0,120,215,0.35)'),
    match: v('--mt-match', 'rgba(234,92,0,0.3)'),
    critical: v('--mt-critical', '#f0a030'),
    added: v('--mt-added', '#2ea043'),
    removed: v('--mt-removed', '#e5484d'),
    modified: v('--mt-modified', '#d29922'),
    background: v('--mt-background', '#1e1e1e'),
    border: v('--mt-border', 'transparent'),
    font: `${v('--mt-font-size', '12px')} ${v('--mt-font-family', 'sans-serif')}`,
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** Calls `fn` when VS Code switches theme (it rewrites the body's class and style). */
export function onThemeChange(fn: () => void): void {
  new MutationObserver(fn).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', fn);
}
