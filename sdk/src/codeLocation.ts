// Source location of the code a span stands for: `code.file.path`, `code.line.number`, `code.function.name`.
// Capturing is a structured V8 stack capture limited to a few frames; mapping to the original source (TypeScript
// compiled with source maps, when Node runs with --enable-source-maps) happens once per location, lazily.
import { findSourceMap, type SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface CodeLocation {
  readonly 'code.file.path': string;
  readonly 'code.line.number': number;
  readonly 'code.function.name': string;
}

/** The raw frame as V8 gives it; resolved to a CodeLocation only when a span needs it. */
export interface RawFrame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly functionName: string;
}

// Frames inside the SDK are never the user's code: the bundle (dist/index.js) or, in tests, the
// transpiled sdk/src files all live in this directory.
const sdkDir = __dirname;
const FRAME_LIMIT = 8;

function isSdkFrame(file: string): boolean {
  return file.startsWith(sdkDir) || file.startsWith('node:') || file.startsWith('internal/');
}

// Helpers that compilers emit for standard decorators sit between the decorator factory call and the user's class.
const HELPER = /^(?:__(?:esDecorate|runInitializers|decorateElement|decoratorStart|decorate|name)|_?_?applyDecs)/;

/** The first frame outside the SDK above `skip` (a public API function), or undefined when V8 gives none. */
export function captureFrame(skip: (...args: never[]) => unknown): RawFrame | undefined {
  const holder: { stack?: unknown } = {};
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[] | undefined;
  try {
    Error.prepareStackTrace = (_err, callSites) => callSites;
    Error.stackTraceLimit = FRAME_LIMIT;
    Error.captureStackTrace(holder, skip);
    sites = holder.stack as NodeJS.CallSite[] | undefined;
  } catch {
    sites = undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
  if (!Array.isArray(sites)) return undefined;
  for (const site of sites) {
    const file = site.getFileName() ?? site.getScriptNameOrSourceURL?.();
    if (!file || isSdkFrame(file)) continue;
    const fn = site.getFunctionName() ?? '';
    if (HELPER.test(fn)) continue;
    const type = site.isToplevel() ? null : safeTypeName(site);
    const method = site.getMethodName();
    const functionName = fn !== '' ? (type && !fn.includes('.') ? `${type}.${fn}` : fn) : method ? `${type ?? ''}.${method}` : '';
    return { file, line: site.getLineNumber() ?? 0, column: site.getColumnNumber() ?? 0, functionName };
  }
  return undefined;
}

function safeTypeName(site: NodeJS.CallSite): string | null {
  try {
    const t = site.getTypeName();
    return t === 'Object' || t === 'global' || t === 'process' ? null : t;
  } catch {
    return null;
  }
}

const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = sourceMaps.get(file);
  if (map === undefined) {
    try {
      map = findSourceMap(file) ?? null;
    } catch {
      map = null;
    }
    sourceMaps.set(file, map);
  }
  return map;
}

function toPath(file: string): string {
  if (!file.startsWith('file:')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

// Call sites (initFlow, initModule) resolve on every call; the set of distinct sites is bounded by the program.
const resolved = new Map<string, CodeLocation>();

/** Maps a frame through its source map when Node has one, and turns file URLs into paths. */
export function resolveFrame(frame: RawFrame, functionName?: string): CodeLocation {
  const key = `${frame.file}:${frame.line}:${frame.column}:${functionName ?? frame.functionName}`;
  let location = resolved.get(key);
  if (location === undefined) {
    location = resolveUncached(frame, functionName);
    resolved.set(key, location);
  }
  return location;
}

function resolveUncached(frame: RawFrame, functionName?: string): CodeLocation {
  let file = frame.file;
  let line = frame.line;
  const map = sourceMapOf(file);
  if (map) {
    // findEntry takes and returns zero-based positions; V8's are one-based.
    const entry = map.findEntry(line - 1, Math.max(0, frame.column - 1)) as Partial<{ originalSource: string; originalLine: number }>;
    if (entry.originalSource && typeof entry.originalLine === 'number') {
      file = entry.originalSource;
      line = entry.originalLine + 1;
    }
  }
  return {
    'code.file.path': toPath(file),
    'code.line.number': line,
    'code.function.name': functionName ?? (frame.functionName || '<anonymous>'),
  };
}
