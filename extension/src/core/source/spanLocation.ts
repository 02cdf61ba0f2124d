// Where a span's code is, from what the span says: the stable code.* attributes, the deprecated ones, then the
// innermost user frame of a recorded exception. (Resolution by name in the workspace is the host's job.)
import { findAttribute } from '../model/anyValue';
import type { Span } from '../model/span';
import { errorFacts } from '../semantics/errorFacts';
import { toNumber } from '../semantics/spanFacts';

export interface SourceLocation {
  readonly file: string;
  /** 1-based; undefined when only the file is known. */
  readonly line?: number;
  readonly function?: string;
  readonly from: 'code' | 'code-deprecated' | 'exception';
}

export function spanLocation(span: Span): SourceLocation | undefined {
  const attr = (key: string) => span.indexedAttribute(key) ?? findAttribute(span.attributes(), key);
  const str = (key: string) => {
    const v = attr(key);
    return typeof v === 'string' && v ? v : undefined;
  };
  const file = str('code.file.path');
  if (file) return { file, line: positive(toNumber(attr('code.line.number'))), function: str('code.function.name'), from: 'code' };
  const old = str('code.filepath');
  if (old) {
    const fn = str('code.function');
    const ns = str('code.namespace');
    return { file: old, line: positive(toNumber(attr('code.lineno'))), function: fn && ns ? `${ns}.${fn}` : fn, from: 'code-deprecated' };
  }
  const frame = errorFacts(span).frame;
  if (frame) return { file: frame.file, line: frame.line, function: frame.function, from: 'exception' };
  return undefined;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}
