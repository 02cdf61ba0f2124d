// Where a span's code is, in the order: what the span says (stable code.*, deprecated code.*, the
// innermost user frame of its exception), else, for msgflux spans, the definition its name comes from. The
// first is a path to map to the workspace; the second a name to look up in a symbol index. The host tries the
// location first and falls back to the name when the path maps to no file.
import type { Span } from '../model/span';
import type { SpanClass } from '../semantics/spanClass';
import { type NameQuery, nameQueryOf } from './nameMatching';
import { type SourceLocation, spanLocation } from './spanLocation';

export interface SpanSourceTarget {
  readonly location?: SourceLocation;
  readonly query?: NameQuery;
}

export function spanSourceTarget(span: Span, cls: SpanClass): SpanSourceTarget | undefined {
  const location = spanLocation(span);
  const query = nameQueryOf(span, cls);
  if (!location && !query) return undefined;
  return { ...(location && { location }), ...(query && { query }) };
}
