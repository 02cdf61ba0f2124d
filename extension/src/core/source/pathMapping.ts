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
