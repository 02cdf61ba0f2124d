// Stack traces as frames a view can open: Python tracebacks (`File "x.py", line 3, in f`) and JavaScript
// stacks (V8 `at f (x.js:3:7)`, and Firefox/Safari `f@x.js:3:7`). Frames keep the order of the text; the
// language says which end is innermost.

export interface StackFrame {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based; undefined when the format has none (Python). */
  readonly column?: number;
  /** '' when the frame names no function. */
  readonly function: string;
  /** The source line Python prints under the frame, trimmed; undefined when absent. */
  readonly code?: string;
}

export type StackLanguage = 'python' | 'javascript' | 'unknown';

export interface ParsedStack {
  readonly language: StackLanguage;
  /** In the order of the text: Python lists the innermost frame last, JavaScript first. */
  readonly frames: readonly StackFrame[];
}

const PY_FRAME = /^\s*File "(.+)", line (\d+)(?:, in (.+))?\s*$/;
const V8_AT = /^\s*at (?:async )?(.*)$/;
const V8_LOCATION = /^(.*?):(\d+):(\d+)$/;
const GECKO_FRAME = /^\s*(.*?)@(.*?):(\d+):(\d+)\s*$/;

export function parseStackTrace(text: string): ParsedStack {
  const lines = text.split(/\r?\n/);
  if (lines.some(l => PY_FRAME.test(l))) return { language: 'python', frames: parsePython(lines) };
  const v8 = parseV8(lines);
  if (v8.length > 0) return { language: 'javascript', frames: v8 };
  const gecko = parseGecko(lines);
  if (gecko.length > 0) return { language: 'javascript', frames: gecko };
  return { language: 'unknown', frames: [] };
}

function parsePython(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = PY_FRAME.exec(lines[i]!);
    if (!m) continue;
    // The next line is the source line when it is indented deeper and is not itself a frame or a caret marker.
    const next = lines[i + 1];
    let code: string | undefined;
    if (next !== undefined && /^\s{4,}\S/.test(next) && !PY_FRAME.test(next) && !/^\s*[\^~]+\s*$/.test(next)) code = next.trim();
    frames.push(code === undefined ? { file: m[1]!, line: Number(m[2]), function: m[3]?.trim() ?? '' } : { file: m[1]!, line: Number(m[2]), function: m[3]?.trim() ?? '', code });
  }
  return frames;
}

function parseV8(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const m = V8_AT.exec(line);
    if (!m) continue;
    let rest = m[1]!.trim();
    let fn = '';
    // `fn (location)` or a bare `location`; `new Foo (loc)`, `Object.<anonymous> (loc)`, eval frames nest parens.
    if (rest.endsWith(')') && rest.includes(' (')) {
      const open = rest.indexOf(' (');
      fn = rest.slice(0, open);
      rest = rest.slice(open + 2, -1);
      // eval: `eval at f (file:1:2), <anonymous>:3:4`: the outer location is the file's.
      const evalAt = /^eval at .*? \((.*?)\)/.exec(rest);
      if (evalAt) rest = evalAt[1]!;
    }
    const loc = V8_LOCATION.exec(rest);
    if (!loc) continue;
    frames.push({ file: stripFileUrl(loc[1]!), line: Number(loc[2]), column: Number(loc[3]), function: fn });
  }
  return frames;
}

function parseGecko(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const m = GECKO_FRAME.exec(line);
    if (m) frames.push({ file: stripFileUrl(m[2]!), line: Number(m[3]), column: Number(m[4]), function: m[1]! });
  }
  return frames;
}

function stripFileUrl(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return decodeURIComponent(file.slice('file://'.length));
  } catch {
    return file.slice('file://'.length);
  }
}

// Library and runtime code a user did not write: "go to source" and diagnostics skip it.
const LIBRARY_PATH = /(?:[\\/](?:site-packages|dist-packages|node_modules|lib[\\/]python\d[\d.]*)[\\/])|^node:|^internal[\\/]|^<frozen |^<anonymous>$/;

export function isLibraryFrame(frame: StackFrame): boolean {
  return LIBRARY_PATH.test(frame.file);
}

/** The innermost frame in the user's own code, or else the innermost frame; undefined when there are none. */
export function innermostUserFrame(stack: ParsedStack): StackFrame | undefined {
  const inner = stack.language === 'python' ? [...stack.frames].reverse() : stack.frames;
  return inner.find(f => !isLibraryFrame(f)) ?? inner[0];
}
