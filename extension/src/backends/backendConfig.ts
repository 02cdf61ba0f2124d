// A team backend as the settings name it (`msgtrace.backends.list`): which kind of API, where, and how the views
// and runs name it. The settings are user input: they are checked here, and each problem is said once.

export type BackendKind = 'jaeger' | 'tempo';

export const BACKEND_KINDS: readonly BackendKind[] = ['jaeger', 'tempo'];

export interface BackendConfig {
  /** Unique among the configured backends; names the backend in views, runs and its SecretStorage headers. */
  readonly name: string;
  readonly kind: BackendKind;
  /** The base URL of the query API (Jaeger's query service, Tempo's query frontend), without a trailing slash. */
  readonly url: string;
}

/** How a run fetched from the backend names its source, e.g. `jaeger: team-jaeger`. */
export function sourceLabel(config: BackendConfig): string {
  return `${config.kind}: ${config.name}`;
}

/** The backends of a setting's value, and what is wrong with the entries left out. */
export function parseBackends(value: unknown): { backends: BackendConfig[]; problems: string[] } {
  const backends: BackendConfig[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { backends, problems };
  if (!Array.isArray(value)) return { backends, problems: ['msgtrace.backends.list must be an array of { "name", "kind", "url" }'] };
  const names = new Set<string>();
  value.forEach((entry: unknown, i) => {
    const where = `msgtrace.backends.list[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const name = typeof e.name === 'string' ? e.name.trim() : '';
    if (!name) {
      problems.push(`${where} has no "name"`);
      return;
    }
    if (names.has(name)) {
      problems.push(`${where}: the name "${name}" is used twice; the first one is kept`);
      return;
    }
    if (!BACKEND_KINDS.includes(e.kind as BackendKind)) {
      problems.push(`${where} ("${name}"): "kind" must be "jaeger" or "tempo"`);
      return;
    }
    const url = normalizeUrl(e.url);
    if (typeof url !== 'string') {
      problems.push(`${where} ("${name}"): ${url.problem}`);
      return;
    }
    names.add(name);
    backends.push({ name, kind: e.kind as BackendKind, url });
  });
  return { backends, problems };
}

function normalizeUrl(value: unknown): string | { problem: string } {
  if (typeof value !== 'string' || !value.trim()) return { problem: '"url" is missing' };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { problem: `"url" is not a URL: ${value}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `"url" must be http:// or https://, not ${url.protocol}` };
  // Credentials in a URL would end up in logs and messages: headers (SecretStorage) are the place for them.
  if (url.username || url.password) return { problem: '"url" must not hold a user name or password: set an Authorization header with "msgtrace: Set Backend Header…"' };
  if (url.search || url.hash) return { problem: '"url" must be the API\'s base URL, without a query or fragment' };
  return url.toString().replace(/\/+$/, '');
}
