// Paths in spans often come from elsewhere: a container, another machine, a CI runner. A path maps to the
// workspace file that shares the longest tail of path segments with it.

function segments(path: string): string[] {
  return path.replace(/\\/g, '/').split('/').filter(s => s && s !== '.');
}

/** How many trailing segments two paths share (file name included). */
export function sharedSuffixLength(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

/**
 * The candidate sharing the longest tail with `path`, at least the file name; ties go to the shorter
 * candidate path (closer to the workspace root). Undefined when no candidate shares the file name.
 */
export function bestSuffixMatch(path: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestLength = 0;
  for (const c of candidates) {
    const n = sharedSuffixLength(path, c);
    if (n > bestLength || (n === bestLength && n > 0 && best !== undefined && c.length < best.length)) {
      best = c;
      bestLength = n;
    }
  }
  return bestLength > 0 ? best : undefined;
}

/** The last segment of a path, for a file search. */
export function fileName(path: string): string {
  const s = segments(path);
  return s[s.length - 1] ?? '';
}

/** An explicit mapping (setting `msgtrace.source.pathMappings`): paths under `from` live under `to`. */
export interface PathMapping {
  readonly from: string;
  readonly to: string;
}

/** The setting's value as mappings: `{ "/srv/app": "/home/me/app" }`, or `[{ "from": ..., "to": ... }]`. */
export function parsePathMappings(value: unknown): PathMapping[] {
  const out: PathMapping[] = [];
  const add = (from: unknown, to: unknown) => {
    if (typeof from === 'string' && typeof to === 'string' && segments(from).length > 0 && to.trim()) out.push({ from, to });
  };
  if (Array.isArray(value)) for (const m of value as unknown[]) add((m as { from?: unknown } | null)?.from, (m as { to?: unknown } | null)?.to);
  else if (value && typeof value === 'object') for (const [from, to] of Object.entries(value)) add(from, to);
  return out;
}

/**
 * `path` rewritten by the mapping whose `from` is its longest whole-segment prefix, or undefined when none is.
 * Case matters (POSIX paths); a Windows drive letter does not.
 */
export function applyPathMappings(path: string, mappings: readonly PathMapping[]): string | undefined {
  const p = segments(path);
  let best: { to: string; rest: string[] } | undefined;
  let bestLength = 0;
  for (const m of mappings) {
    const f = segments(m.from);
    if (f.length > p.length || f.length <= bestLength) continue;
    if (f.every((s, i) => sameSegment(s, p[i]!, i))) {
      best = { to: m.to, rest: p.slice(f.length) };
      bestLength = f.length;
    }
  }
  if (!best) return undefined;
  const to = best.to.replace(/[\\/]+$/, '');
  return best.rest.length ? `${to}/${best.rest.join('/')}` : to;
}

function sameSegment(a: string, b: string, index: number): boolean {
  return a === b || (index === 0 && /^[A-Za-z]:$/.test(a) && a.toLowerCase() === b.toLowerCase());
}
