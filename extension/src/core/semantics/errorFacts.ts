// What went wrong in a span: from its status, its `exception` events and `error.type`. Decodes details, so
// views call it for the spans they show, not the store for every span.
import { findAttribute, formatAnyValue } from '../model/anyValue';
import { type Span, StatusCode } from '../model/span';
import { type ParsedStack, type StackFrame, innermostUserFrame, parseStackTrace } from './stackFrames';

export interface ExceptionFact {
  readonly type: string;
  readonly message: string;
  /** The raw `exception.stacktrace`; '' when absent. */
  readonly stacktrace: string;
  readonly stack: ParsedStack;
  /** Event time, or undefined for an exception read from span attributes. */
  readonly timeMs?: number;
}

export interface ErrorFacts {
  /** Status ERROR, or an exception recorded on the span. */
  readonly isError: boolean;
  /** The first exception's type, else `error.type`, else ''. */
  readonly type: string;
  /** Status message, else the first exception's message, else ''. */
  readonly message: string;
  /**
   * Every recorded exception, duplicates removed: msgflux records each module failure twice (module and SDK
   * context manager, docs/msgflux-wire.md#module-spans), and the second adds only the SDK's own frame.
   */
  readonly exceptions: readonly ExceptionFact[];
  /** Where to go: the innermost user frame of the first exception with frames; undefined when none. */
  readonly frame?: StackFrame;
}

export function errorFacts(span: Span): ErrorFacts {
  const exceptions: ExceptionFact[] = [];
  const seen = new Set<string>();
  const add = (e: ExceptionFact) => {
    // Same type, message and innermost frame: the same exception recorded again.
    const last = e.stack.language === 'python' ? e.stack.frames[e.stack.frames.length - 1] : e.stack.frames[0];
    const key = `${e.type}\u0000${e.message}\u0000${last ? `${last.file}:${last.line}` : e.stacktrace}`;
    if (seen.has(key)) return;
    seen.add(key);
    exceptions.push(e);
  };
  if (span.eventCount > 0) {
    for (const ev of span.details().events) {
      if (ev.name !== 'exception') continue;
      add(exceptionFrom(ev.attributes, ev.timeMs));
    }
  }
  const codeStack = span.indexedAttribute('code.stacktrace');
  if (exceptions.length === 0 && typeof codeStack === 'string') {
    add({ type: '', message: '', stacktrace: codeStack, stack: parseStackTrace(codeStack) });
  }
  const errorType = span.indexedAttribute('error.type');
  const first = exceptions[0];
  const isError = span.statusCode === StatusCode.Error || exceptions.some(e => e.type !== '' || e.message !== '');
  const withFrames = exceptions.find(e => e.stack.frames.length > 0);
  const frame = withFrames ? innermostUserFrame(withFrames.stack) : undefined;
  const facts: ErrorFacts = {
    isError,
    type: first?.type || (errorType !== undefined ? formatAnyValue(errorType) : ''),
    message: span.statusMessage || first?.message || '',
    exceptions,
  };
  return frame ? { ...facts, frame } : facts;
}

function exceptionFrom(attributes: Parameters<typeof findAttribute>[0], timeMs: number | undefined): ExceptionFact {
  const str = (key: string) => {
    const v = findAttribute(attributes, key);
    return v === undefined || v === null ? '' : formatAnyValue(v);
  };
  const stacktrace = str('exception.stacktrace');
  const fact: ExceptionFact = { type: str('exception.type'), message: str('exception.message'), stacktrace, stack: parseStackTrace(stacktrace) };
  return timeMs === undefined ? fact : { ...fact, timeMs };
}
