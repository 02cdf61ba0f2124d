// Every message from the webview is untrusted: the page renders text from other programs, and a page that was
// tricked into posting must not get anything the protocol does not offer. A message passes only when its
// method is one the host handles and its params have exactly the expected types and sane sizes.
import {
  CopyCommand,
  OpenSourceCommand,
  ReadyCommand,
  RequestDetailsCommand,
  RevealInExplorerCommand,
  SearchCommand,
  SelectRunCommand,
  type SourceLocation,
} from '../protocol/timelineProtocol';

export type WebviewMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'selectRun'; readonly runId: number }
  | { readonly kind: 'details'; readonly requestId: number; readonly key: number }
  | { readonly kind: 'search'; readonly requestId: number; readonly text: string }
  | { readonly kind: 'openSource'; readonly location: SourceLocation }
  | { readonly kind: 'reveal'; readonly key: number }
  | { readonly kind: 'copy'; readonly text: string };

/** Longest text a copy or search may carry (a long attribute value fits; a flood does not). */
export const MAX_TEXT = 1_000_000;
const MAX_PATH = 4096;

type Params = Record<string, unknown>;

const isObject = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v < 10_000_000;
const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
/** Params with exactly these keys (optional ones may be missing): extra keys mean a sender we do not know. */
const onlyKeys = (p: Params, required: readonly string[], optional: readonly string[] = []) =>
  required.every(k => k in p) && Object.keys(p).every(k => required.includes(k) || optional.includes(k));

/** The message as the host's handlers take it, or undefined when it is not a valid protocol message. */
export function parseWebviewMessage(message: unknown): WebviewMessage | undefined {
  if (!isObject(message) || !onlyKeys(message, ['method', 'params'])) return undefined;
  const p = message.params;
  if (!isObject(p)) return undefined;
  switch (message.method) {
    case ReadyCommand.method:
      return onlyKeys(p, []) ? { kind: 'ready' } : undefined;
    case SelectRunCommand.method:
      return onlyKeys(p, ['runId']) && isIndex(p.runId) ? { kind: 'selectRun', runId: p.runId } : undefined;
    case RequestDetailsCommand.method:
      return onlyKeys(p, ['requestId', 'key']) && isIndex(p.requestId) && isIndex(p.key)
        ? { kind: 'details', requestId: p.requestId, key: p.key }
        : undefined;
    case SearchCommand.method: {
      if (!onlyKeys(p, ['requestId', 'query']) || !isIndex(p.requestId) || !isObject(p.query)) return undefined;
      const q = p.query;
      return onlyKeys(q, ['text']) && isText(q.text, 1000) ? { kind: 'search', requestId: p.requestId, text: q.text } : undefined;
    }
    case OpenSourceCommand.method: {
      if (!onlyKeys(p, ['file', 'line'], ['column', 'function'])) return undefined;
      if (!isText(p.file, MAX_PATH) || p.file === '' || p.file.includes('\0') || !isLine(p.line)) return undefined;
      if (p.column !== undefined && !isLine(p.column)) return undefined;
      if (p.function !== undefined && !isText(p.function, MAX_PATH)) return undefined;
      const location: SourceLocation = { file: p.file, line: p.line, ...(p.column !== undefined ? { column: p.column as number } : {}) };
      return { kind: 'openSource', location };
    }
    case RevealInExplorerCommand.method:
      return onlyKeys(p, ['key']) && isIndex(p.key) ? { kind: 'reveal', key: p.key } : undefined;
    case CopyCommand.method:
      return onlyKeys(p, ['text']) && isText(p.text) ? { kind: 'copy', text: p.text } : undefined;
    default:
      return undefined;
  }
}
