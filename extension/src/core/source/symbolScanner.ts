// A fast, language-server-free scan of Python and TypeScript/JavaScript source text for the definitions a span
// can be named after: classes, functions and methods, agents named in a call (`nn.Agent("MyAgent", ...)`,
// `Agent(name="x")`) and spans named in a call (`Spans.init_flow("x")`, `@Spans.instrument("x")`,
// `tracer.startActiveSpan('x')`). Line-based regular expressions: a symbol index for thousands of files must
// build in well under a second, and a missed exotic definition only costs a fallback to the symbol providers.

export type SymbolKind = 'class' | 'function' | 'method' | 'agent' | 'span';

export interface SourceSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  /** 1-based line of the definition (of the call for agents and spans). */
  readonly line: number;
  /** 0-based character where the name starts on that line. */
  readonly column: number;
  /** The enclosing class of a method. */
  readonly container?: string;
  /** Base classes as written (`nn.Module`), for classes. */
  readonly bases?: readonly string[];
}

export type ScanLanguage = 'python' | 'typescript';

export function scanLanguageOf(path: string): ScanLanguage | undefined {
  if (/\.pyi?$/i.test(path)) return 'python';
  if (/\.(?:[cm]?[jt]sx?)$/i.test(path)) return 'typescript';
  return undefined;
}

export function scanSymbols(text: string, language: ScanLanguage): SourceSymbol[] {
  return language === 'python' ? scanPython(text) : scanTypeScript(text);
}

const PY_DEF = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)/;
const PY_CLASS = /^(\s*)class\s+([A-Za-z_]\w*)\s*(?:\(([^)]*)\)?)?/;
// The agent's name is its first positional argument or `name=`; msgflux builds the span name from it (docs/msgflux-wire.md#span-names).
const PY_AGENT = /\bAgent\s*\(\s*(?:name\s*=\s*)?(?:[rbuf]{0,2})(["'])([^"'\n]+)\1|\bAgent\s*\([^()]*?\bname\s*=\s*(["'])([^"'\n]+)\3/g;
// Calls that open a span named by their first string argument (msgtrace-sdk and plain OpenTelemetry).
const PY_SPAN = /\b(?:a?instrument|init_flow|init_module|a?span_context|start_as_current_span|start_span)\s*\(\s*(?:name\s*=\s*)?(["'])([^"'\n]+)\1/g;

function scanPython(text: string): SourceSymbol[] {
  const lines = text.split(/\r?\n/);
  const out: SourceSymbol[] = [];
  const classes: { indent: number; name: string }[] = [];
  // Lines inside triple-quoted strings: a docstring that says "class Foo:" must not define Foo.
  const inString = new Uint8Array(lines.length);
  let open: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (open) {
      inString[i] = 1;
      if (line.includes(open)) open = tripleQuoteStillOpen(line.slice(line.indexOf(open) + 3), undefined);
      continue;
    }
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - trimmed.length;
    while (classes.length && indent <= classes[classes.length - 1]!.indent) classes.pop();
    const cls = PY_CLASS.exec(line);
    if (cls) {
      const bases = (cls[3] ?? '').split(',').map(b => b.trim()).filter(b => b && !b.includes('='));
      out.push({ name: cls[2]!, kind: 'class', line: i + 1, column: line.indexOf(cls[2]!, cls[1]!.length + 5), bases });
      classes.push({ indent, name: cls[2]! });
    } else {
      const def = PY_DEF.exec(line);
      if (def) {
        const owner = classes[classes.length - 1];
        const column = line.indexOf(def[2]!, def[1]!.length + 3);
        out.push(owner ? { name: def[2]!, kind: 'method', line: i + 1, column, container: owner.name } : { name: def[2]!, kind: 'function', line: i + 1, column });
      }
    }
    open = tripleQuoteStillOpen(line, undefined);
  }
  callSymbols(text, lines, inString, PY_AGENT, 'agent', out);
  callSymbols(text, lines, inString, PY_SPAN, 'span', out);
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The triple quote left open at the end of `rest`, if any (strings that open and close on one line cancel out). */
function tripleQuoteStillOpen(rest: string, open: string | undefined): string | undefined {
  let i = 0;
  while (i < rest.length) {
    if (open) {
      const end = rest.indexOf(open, i);
      if (end < 0) return open;
      i = end + 3;
      open = undefined;
      continue;
    }
    const hash = rest.indexOf('#', i);
    const d = rest.indexOf('"""', i);
    const s = rest.indexOf("'''", i);
    const next = d < 0 ? s : s < 0 ? d : Math.min(d, s);
    if (next < 0 || (hash >= 0 && hash < next && !insideShortString(rest, hash))) return undefined;
    open = rest.slice(next, next + 3);
    i = next + 3;
  }
  return open;
}

/** Whether position `at` lies inside a one-line '...' or "..." string (so a '#' there is no comment). */
function insideShortString(line: string, at: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < at; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== undefined;
}

function callSymbols(text: string, lines: readonly string[], skip: Uint8Array, pattern: RegExp, kind: SymbolKind, out: SourceSymbol[]): void {
  pattern.lastIndex = 0;
  const starts = lineStarts(lines);
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const name = m[2] ?? m[4];
    if (!name) continue;
    const at = m.index + m[0].lastIndexOf(name);
    const line = lineOf(starts, at);
    if (skip[line]) continue;
    const lineText = lines[line]!;
    const column = at - starts[line]!;
    if (/^\s*(?:#|\/\/|\*)/.test(lineText) || lineText.slice(0, column).includes('#')) continue;
    out.push({ name, kind, line: line + 1, column });
  }
}

function lineStarts(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    // split() dropped the terminator; \r\n files keep '\r' in the line, so +1 is right for both.
    offset += l.length + 1;
  }
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const TS_CLASS = /^(\s*)(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)(?:\s*<[^>]*>)?(?:\s+extends\s+([\w$.]+))?/;
const TS_FUNCTION = /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/;
const TS_ARROW = /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|(?:<[^>]*>)?\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/;
const TS_METHOD = /^(\s+)(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*\*?([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^;]*$/;
const NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'await', 'with', 'super', 'new', 'typeof', 'void', 'delete', 'throw', 'else', 'do', 'try', 'yield', 'import', 'export']);
const TS_AGENT = /\bAgent\s*\(\s*(?:\{\s*name\s*:\s*)?(["'`])([^"'`\n]+)\1/g;
const TS_SPAN = /\b(?:startActiveSpan|startSpan|instrument|withSpan|initFlow|initModule|spanContext)\s*\(\s*(["'`])([^"'`\n]+)\1/g;

function scanTypeScript(text: string): SourceSymbol[] {
  const lines = text.split(/\r?\n/);
  const out: SourceSymbol[] = [];
  const skip = new Uint8Array(lines.length);
  const classes: { indent: number; name: string }[] = [];
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inComment) {
      skip[i] = 1;
      if (line.includes('*/')) inComment = false;
      continue;
    }
    const trimmed = line.trimStart();
    if (trimmed.startsWith('/*') && !trimmed.includes('*/')) {
      inComment = true;
      skip[i] = 1;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('//') || trimmed.startsWith('*')) continue;
    const indent = line.length - trimmed.length;
    // A class body ends at the closing brace at the class's own indentation.
    while (classes.length && (indent < classes[classes.length - 1]!.indent || (indent === classes[classes.length - 1]!.indent && trimmed.startsWith('}')))) classes.pop();
    const cls = TS_CLASS.exec(line);
    if (cls) {
      out.push({ name: cls[2]!, kind: 'class', line: i + 1, column: line.indexOf(cls[2]!, cls[1]!.length), bases: cls[3] ? [cls[3]] : [] });
      classes.push({ indent, name: cls[2]! });
      continue;
    }
    const fn = TS_FUNCTION.exec(line) ?? TS_ARROW.exec(line);
    if (fn) {
      out.push({ name: fn[1]!, kind: 'function', line: i + 1, column: line.indexOf(fn[1]!, indent) });
      continue;
    }
    const owner = classes[classes.length - 1];
    const method = owner ? TS_METHOD.exec(line) : null;
    if (owner && method && !NOT_METHODS.has(method[2]!) && indent > owner.indent) {
      out.push({ name: method[2]!, kind: 'method', line: i + 1, column: line.indexOf(method[2]!, indent), container: owner.name });
    }
  }
  callSymbols(text, lines, skip, TS_AGENT, 'agent', out);
  callSymbols(text, lines, skip, TS_SPAN, 'span', out);
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
