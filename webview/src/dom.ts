// The only way this page makes elements. Text goes in as textContent, never as markup: span names and
// attributes come from other programs.

type Attrs = Record<string, string>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string, attrs?: Attrs): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export function button(label: string, onClick: (ev: MouseEvent) => void, className = 'btn', title?: string): HTMLButtonElement {
  const b = el('button', className, label, { type: 'button' });
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** Sizes a canvas's backing store for the device pixel ratio and its CSS box to `width` × `height` px. */
export function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number, dpr: number): void {
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
}
