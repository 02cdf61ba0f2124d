// Messages of the timeline webview (and of the stand-alone page of `msgtrace serve`, which speaks the same
// messages over a WebSocket). The handshake is fixed: the webview says it is ready, and only then does the host
// send state (a message posted earlier is lost).
//
// Rows travel as typed columns packed into one buffer plus one table of distinct names (TimelineRows): a
// 100k-span run is about 1.3 MB of bytes that the page views in place, not 100k objects or JSON number arrays.
//
// Requests with a reply are a Command carrying a `requestId` and a Did...Notification echoing it.
//
// Every method is defined here once, with its params: a command's params as a Schema (the host checks the page's
// messages against it; timeline/messageValidation.ts), a notification's as a type (the page trusts its host).
import { COMPARISON_COMMANDS, COMPARISON_NOTIFICATIONS } from './comparisonProtocol';
import { type MessageOf, command, notification } from './ipc';
import { type Infer, integer, object, text } from './schema';

/** The span classes of core/semantics, in the order `TimelineRows.cls` indexes. */
export const SPAN_CLASS_NAMES = ['flow', 'module', 'agent', 'tool', 'model', 'functional', 'generic'] as const;
export type SpanClassName = (typeof SPAN_CLASS_NAMES)[number];

/**
 * Every row of one run as it travels: the numeric columns packed into one buffer by `packRows` (a VS Code
 * webview receives an ArrayBuffer as bytes, not as JSON; the WebSocket of `msgtrace serve` sends it as a binary
 * frame, see serveCommand's `encodeFrame`), plus the table of distinct names. `unpackRows` turns it back into RowColumns.
 */
export interface TimelineRows {
  readonly count: number;
  readonly names: readonly string[];
  /** The packed columns (an ArrayBuffer from the host; a view of a received frame on the page). */
  readonly data: ArrayBuffer | Uint8Array;
}

/** Every row of one run, depth-first, children in start order: element i of each column is row i. */
export interface RowColumns {
  readonly count: number;
  /** Stable per panel: the same span keeps its key across updates, so selection and collapse survive appends. */
  readonly key: Int32Array;
  readonly depth: Uint16Array;
  /** Milliseconds from the run's start (fractional: nanosecond times are kept to a microsecond). */
  readonly start: Float64Array;
  readonly duration: Float64Array;
  /** Index into SPAN_CLASS_NAMES. */
  readonly cls: Uint8Array;
  /** SpanFacts bits (spanFacts.ts), the ROW_FACTS of them. */
  readonly flags: Uint8Array;
  /** Index into `names`. */
  readonly name: Int32Array;
  readonly names: readonly string[];
  /** Event markers, sorted by row: row index, ms from the run's start, 1 for an exception else 0. */
  readonly eventRow: Int32Array;
  readonly eventTime: Float64Array;
  readonly eventException: Uint8Array;
}

// The packed form: a header of 8 uint32 (format, rows, events, time unit, key form, name width, depth width, 0),
// then the sections below, each starting at a multiple of 8 bytes so typed arrays can view them in place. Times
// go as whole microseconds in uint32 when every one fits (runs up to 71 minutes), else as float64 milliseconds;
// keys are left out when key[i] = i (every first build of a run); name indices take 1, 2 or 4 bytes, depths 1 or
// 2. A 100k-row run is about 1.2 MB instead of 2.9 MB of JSON, and the page needs no parsing.
const ROWS_FORMAT = 1;
const HEADER_WORDS = 8;
const TIME_MICROS_U32 = 0;
const TIME_MS_F64 = 1;

type Section = readonly [ctor: { readonly BYTES_PER_ELEMENT: number }, length: number];

function sectionLayout(n: number, m: number, timeFormat: number, hasKeys: boolean, nameWidth: number, depthWidth: number): { sections: Section[]; byteLength: number; offsets: number[] } {
  const time = timeFormat === TIME_MS_F64 ? Float64Array : Uint32Array;
  const nameCtor = nameWidth === 1 ? Uint8Array : nameWidth === 2 ? Uint16Array : Int32Array;
  const sections: Section[] = [
    [Uint32Array, HEADER_WORDS],
    [time, n], // start
    [time, n], // duration
    [time, m], // event time
    [Int32Array, hasKeys ? n : 0], // key
    [Int32Array, m], // event row
    [nameCtor, n], // name
    [depthWidth === 1 ? Uint8Array : Uint16Array, n], // depth
    [Uint8Array, n], // cls
    [Uint8Array, n], // flags
    [Uint8Array, m], // event exception
  ];
  const offsets: number[] = [];
  let at = 0;
  for (const [ctor, length] of sections) {
    offsets.push(at);
    at += Math.ceil((ctor.BYTES_PER_ELEMENT * length) / 8) * 8;
  }
  return { sections, byteLength: at, offsets };
}

/** The columns as one buffer (see TimelineRows). */
export function packRows(c: RowColumns): TimelineRows {
  const n = c.count;
  const m = c.eventRow.length;
  let micros = true;
  const fits = (ms: number) => ms >= 0 && ms * 1000 < 4_294_967_295.5;
  for (let i = 0; micros && i < n; i++) micros = fits(c.start[i]!) && fits(c.duration[i]!);
  for (let j = 0; micros && j < m; j++) micros = fits(c.eventTime[j]!);
  let identity = true;
  for (let i = 0; identity && i < n; i++) identity = c.key[i] === i;
  const nameWidth = c.names.length <= 0x100 ? 1 : c.names.length <= 0x10000 ? 2 : 4;
  let maxDepth = 0;
  for (let i = 0; i < n; i++) if (c.depth[i]! > maxDepth) maxDepth = c.depth[i]!;
  const depthWidth = maxDepth < 0x100 ? 1 : 2;
  const timeFormat = micros ? TIME_MICROS_U32 : TIME_MS_F64;
  const { byteLength, offsets } = sectionLayout(n, m, timeFormat, !identity, nameWidth, depthWidth);
  const data = new ArrayBuffer(byteLength);
  new Uint32Array(data, 0, HEADER_WORDS).set([ROWS_FORMAT, n, m, timeFormat, identity ? 0 : 1, nameWidth, depthWidth, 0]);
  const times = (src: Float64Array, at: number) => {
    if (!micros) {
      new Float64Array(data, at, src.length).set(src);
      return;
    }
    const out = new Uint32Array(data, at, src.length);
    for (let i = 0; i < src.length; i++) out[i] = Math.round(src[i]! * 1000);
  };
  times(c.start, offsets[1]!);
  times(c.duration, offsets[2]!);
  times(c.eventTime, offsets[3]!);
  if (!identity) new Int32Array(data, offsets[4]!, n).set(c.key);
  new Int32Array(data, offsets[5]!, m).set(c.eventRow);
  const nameCtor = nameWidth === 1 ? Uint8Array : nameWidth === 2 ? Uint16Array : Int32Array;
  new nameCtor(data, offsets[6]!, n).set(c.name);
  new (depthWidth === 1 ? Uint8Array : Uint16Array)(data, offsets[7]!, n).set(c.depth);
  new Uint8Array(data, offsets[8]!, n).set(c.cls);
  new Uint8Array(data, offsets[9]!, n).set(c.flags);
  new Uint8Array(data, offsets[10]!, m).set(c.eventException);
  return { count: n, names: c.names, data };
}

export function emptyColumns(): RowColumns {
  return {
    count: 0,
    key: new Int32Array(0),
    depth: new Uint16Array(0),
    start: new Float64Array(0),
    duration: new Float64Array(0),
    cls: new Uint8Array(0),
    flags: new Uint8Array(0),
    name: new Int32Array(0),
    names: [],
    eventRow: new Int32Array(0),
    eventTime: new Float64Array(0),
    eventException: new Uint8Array(0),
  };
}

/** A fresh packed empty run (fresh: a posted buffer may be transferred away). */
export function emptyRows(): TimelineRows {
  return packRows(emptyColumns());
}

/**
 * The columns of packed rows, viewing the buffer in place where the types allow. Anything malformed (it came
 * over a message boundary) gives no rows rather than reading out of bounds.
 */
export function unpackRows(rows: TimelineRows): RowColumns {
  const raw = rows.data as unknown;
  let buffer: ArrayBuffer;
  let base: number;
  let length: number;
  if (raw instanceof ArrayBuffer) {
    buffer = raw;
    base = 0;
    length = raw.byteLength;
  } else if (ArrayBuffer.isView(raw) && raw.buffer instanceof ArrayBuffer) {
    // Float64Array views need 8-byte alignment: copy the rare unaligned view.
    if (raw.byteOffset % 8 === 0) {
      buffer = raw.buffer;
      base = raw.byteOffset;
    } else {
      buffer = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength).slice().buffer;
      base = 0;
    }
    length = raw.byteLength;
  } else return emptyColumns();
  if (length < HEADER_WORDS * 4) return emptyColumns();
  const [format, n, m, timeFormat, keyForm, nameWidth, depthWidth] = new Uint32Array(buffer, base, HEADER_WORDS);
  if (format !== ROWS_FORMAT || n !== rows.count || (timeFormat !== TIME_MICROS_U32 && timeFormat !== TIME_MS_F64)) return emptyColumns();
  if (keyForm! > 1 || (nameWidth !== 1 && nameWidth !== 2 && nameWidth !== 4) || (depthWidth !== 1 && depthWidth !== 2) || !Array.isArray(rows.names)) return emptyColumns();
  const { byteLength, offsets } = sectionLayout(n, m!, timeFormat, keyForm === 1, nameWidth, depthWidth);
  if (byteLength > length) return emptyColumns();
  const at = (k: number) => base + offsets[k]!;
  const times = (k: number, count: number): Float64Array => {
    if (timeFormat === TIME_MS_F64) return new Float64Array(buffer, at(k), count);
    const src = new Uint32Array(buffer, at(k), count);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = src[i]! / 1000;
    return out;
  };
  let key: Int32Array;
  if (keyForm === 1) key = new Int32Array(buffer, at(4), n);
  else {
    key = new Int32Array(n);
    for (let i = 0; i < n; i++) key[i] = i;
  }
  const nameView = nameWidth === 1 ? new Uint8Array(buffer, at(6), n) : nameWidth === 2 ? new Uint16Array(buffer, at(6), n) : new Int32Array(buffer, at(6), n);
  return {
    count: n,
    key,
    depth: depthWidth === 2 ? new Uint16Array(buffer, at(7), n) : Uint16Array.from(new Uint8Array(buffer, at(7), n)),
    start: times(1, n),
    duration: times(2, n),
    cls: new Uint8Array(buffer, at(8), n),
    flags: new Uint8Array(buffer, at(9), n),
    name: nameView instanceof Int32Array ? nameView : Int32Array.from(nameView),
    names: rows.names,
    eventRow: new Int32Array(buffer, at(5), m),
    eventTime: times(3, m!),
    eventException: new Uint8Array(buffer, at(10), m),
  };
}

export interface RunSummary {
  readonly id: number;
  /** What a person calls it: service name and root span. */
  readonly label: string;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly receiving: boolean;
  /** Unix ms of the run's first span. */
  readonly startMs: number;
}

/** Everything the timeline shows, as one serializable value. */
export interface TimelineState {
  /** What the panel shows above the waterfall: the run's name, or why there is nothing to show. */
  readonly title: string;
  /** Why there is nothing to show; '' when there are rows. */
  readonly message: string;
  readonly runs: readonly RunSummary[];
  /** The run shown, or undefined. */
  readonly runId: number | undefined;
  readonly receiving: boolean;
  /** Unix ms the row times are relative to. */
  readonly originMs: number;
  readonly rows: TimelineRows;
  /** Whether the host can open files (false on the stand-alone page). */
  readonly canOpenSource: boolean;
}

export interface UsageView {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly totalTokens?: number;
  readonly cacheReadTokens?: number;
  readonly reasoningTokens?: number;
  readonly cost?: number;
  readonly currency?: string;
}

/** One attribute as text; `type` says what it was on the wire. */
export interface AttributeView {
  readonly key: string;
  readonly value: string;
  readonly type: 'string' | 'int' | 'double' | 'bool' | 'bytes' | 'array' | 'kvlist' | 'null';
}

/** Longer than any real path or function name: a longer one is not from a span. */
export const MAX_PATH = 4096;
/** 1-based, and below any real file's line count. */
const position = integer(1, 9_999_999);

/** A place in a source file; the page sends one back to open it, so its bounds are checked. */
export const SourceLocationSchema = object(
  {
    // A NUL would cut the path short in some file APIs, opening another file than the one checked.
    file: text({ maxLength: MAX_PATH, minLength: 1, without: '\0' }),
    /** 1-based. */
    line: position,
  },
  { column: position, function: text({ maxLength: MAX_PATH }) },
);
export type SourceLocation = Infer<typeof SourceLocationSchema>;

export interface StackFrameView extends SourceLocation {
  readonly code?: string;
}

export interface ExceptionView {
  readonly type: string;
  readonly message: string;
  /** As the stack's text lists them (Python: innermost last). */
  readonly frames: readonly StackFrameView[];
  readonly stacktrace: string;
}

export interface EventView {
  readonly name: string;
  /** Milliseconds from the span's start. */
  readonly offsetMs: number;
  readonly attributes: readonly AttributeView[];
}

export interface LinkView {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: readonly AttributeView[];
}

export type ChatPartView =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'tool_call'; readonly id?: string; readonly name: string; readonly arguments: string }
  | { readonly type: 'tool_call_response'; readonly id?: string; readonly result: string }
  | { readonly type: 'other'; readonly raw: string };

export interface ChatMessageView {
  readonly role: string;
  readonly parts: readonly ChatPartView[];
}

export interface ConversationView {
  readonly system?: string;
  readonly input: readonly ChatMessageView[];
  readonly output: readonly ChatMessageView[];
  /** The attribute form the messages came from. */
  readonly source: string;
  /** The attributes the messages were read from, as sent, for the raw JSON toggle. */
  readonly raw: readonly AttributeView[];
}

export interface ToolCallView {
  readonly name?: string;
  readonly callId?: string;
  readonly arguments?: string;
  readonly result?: string;
}

/** What the details pane shows for one span. */
export interface SpanDetailsView {
  readonly key: number;
  readonly name: string;
  readonly cls: SpanClassName;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly inferredParent: boolean;
  readonly placeholder: boolean;
  readonly kind: string;
  /** ISO 8601 with the nanoseconds the span had. */
  readonly startText: string;
  readonly durationMs: number;
  readonly selfTimeMs: number;
  readonly status: { readonly code: 'unset' | 'ok' | 'error'; readonly message: string };
  readonly attributes: readonly AttributeView[];
  readonly events: readonly EventView[];
  readonly links: readonly LinkView[];
  readonly exceptions: readonly ExceptionView[];
  readonly resource: { readonly attributes: readonly AttributeView[]; readonly schemaUrl: string };
  readonly scope: { readonly name: string; readonly version: string; readonly attributes: readonly AttributeView[] };
  readonly source?: SourceLocation;
  readonly usage: { readonly own: UsageView; readonly subtree: UsageView };
  readonly subtree: { readonly spans: number; readonly errors: number };
  readonly conversation?: ConversationView;
  readonly tool?: ToolCallView;
}

/** Longest text a copy may carry (a long attribute value fits; a flood does not). */
export const MAX_TEXT = 1_000_000;
/** A person types a search: longer text is a flood, not a query. */
export const MAX_QUERY = 1000;
/** Run ids, span keys and request ids: counters, never negative. */
const id = integer(0);

/** An in-trace search the host answers, because attribute values live with the host. */
export const SearchQuerySchema = object({
  /** Matched case-insensitively against names and attribute keys and values. */
  text: text({ maxLength: MAX_QUERY }),
});
export type SearchQuery = Infer<typeof SearchQuerySchema>;

// webview -> host
export const ReadyCommand = command('webview/ready', object({}));
export const SelectRunCommand = command('run/select', object({ runId: id }));
export const RequestDetailsCommand = command('details/request', object({ requestId: id, key: id }));
export const SearchCommand = command('search/request', object({ requestId: id, query: SearchQuerySchema }));
export const OpenSourceCommand = command('source/open', SourceLocationSchema);
export const RevealInExplorerCommand = command('explorer/reveal', object({ key: id }));
export const CopyCommand = command('clipboard/copy', object({ text: text({ maxLength: MAX_TEXT }) }));

/** Every command the page may send: the host accepts these and nothing else (the comparison's included). */
export const TIMELINE_COMMANDS = [
  ReadyCommand,
  SelectRunCommand,
  RequestDetailsCommand,
  SearchCommand,
  OpenSourceCommand,
  RevealInExplorerCommand,
  CopyCommand,
  ...COMPARISON_COMMANDS,
] as const;
/** A valid message from the page, discriminated by `method`. */
export type TimelineCommand = MessageOf<(typeof TIMELINE_COMMANDS)[number]>;

// host -> webview
export const DidChangeStateNotification = notification<TimelineState>()('state/didChange');
export const DidLoadDetailsNotification = notification<{ readonly requestId: number; readonly details: SpanDetailsView | undefined }>()('details/didLoad');
/** Keys of the rows whose name or attributes match. */
export const DidSearchNotification = notification<{ readonly requestId: number; readonly keys: readonly number[] }>()('search/didComplete');
/** The host's answer to a command that could not be done (file outside the workspace, ...), shown briefly. */
export const DidReportNotification = notification<{ readonly message: string }>()('report/didShow');

/** Every message the host may send. */
export const TIMELINE_NOTIFICATIONS = [
  DidChangeStateNotification,
  DidLoadDetailsNotification,
  DidSearchNotification,
  DidReportNotification,
  ...COMPARISON_NOTIFICATIONS,
] as const;

/** What the webview persists through a reload (vscode setState / sessionStorage). */
export interface TimelineViewState {
  readonly runId?: number;
  readonly selectedKey?: number;
  /** The comparison shown (run ids of A and B), when the page shows one instead of a run. */
  readonly compare?: { readonly runIdA: number; readonly runIdB: number };
}
