// Messages of the timeline webview (and of the stand-alone page of `msgtrace serve`, which speaks the same
// messages over a WebSocket). The handshake is fixed: the webview says it is ready, and only then does the host
// send state (a message posted earlier is lost).
//
// Rows travel as columns of numbers plus one table of distinct names: a 100k-span run is a few MB of short
// arrays, not 100k objects with repeated keys, and the webview keeps them as typed arrays.
//
// Requests with a reply are a Command carrying a `requestId` and a Did...Notification echoing it.
import { command, notification } from './ipc';

/** The span classes of core/semantics, in the order `TimelineRows.cls` indexes. */
export const SPAN_CLASS_NAMES = ['flow', 'module', 'agent', 'tool', 'model', 'functional', 'generic'] as const;
export type SpanClassName = (typeof SPAN_CLASS_NAMES)[number];

/** Bits of `TimelineRows.flags`. */
export const RowFlags = {
  error: 1,
  /** The edge to the parent was inferred from time containment, not sent as parentSpanId. */
  inferredEdge: 2,
  /** A parent that has not arrived: the row has no times of its own. */
  placeholder: 4,
  hasChildren: 8,
  hasEvents: 16,
  /** The span names a source location (code.file.path / code.filepath). */
  hasSource: 32,
  /** The span reports token usage or cost. */
  hasUsage: 64,
} as const;

/** Every row of one run, depth-first, children in start order: column i of each array is row i. */
export interface TimelineRows {
  readonly count: number;
  /** Stable per panel: the same span keeps its key across updates, so selection and collapse survive appends. */
  readonly key: readonly number[];
  readonly depth: readonly number[];
  /** Milliseconds from the run's start (fractional: nanosecond times are kept to about a microsecond). */
  readonly start: readonly number[];
  readonly duration: readonly number[];
  /** Index into SPAN_CLASS_NAMES. */
  readonly cls: readonly number[];
  /** RowFlags bits. */
  readonly flags: readonly number[];
  /** Index into `names`. */
  readonly name: readonly number[];
  readonly names: readonly string[];
  /** Event markers, flattened as triples: row index, ms from the run's start, 1 for an exception else 0. */
  readonly events: readonly number[];
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

export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column?: number;
  readonly function?: string;
}

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

/** An in-trace search the host answers, because attribute values live with the host. */
export interface SearchQuery {
  /** Matched case-insensitively against names and attribute keys and values. */
  readonly text: string;
}

export const ReadyCommand = command<Record<string, never>>()('webview/ready');
export const DidChangeStateNotification = notification<TimelineState>()('state/didChange');

export const SelectRunCommand = command<{ readonly runId: number }>()('run/select');
export const RequestDetailsCommand = command<{ readonly requestId: number; readonly key: number }>()('details/request');
export const DidLoadDetailsNotification = notification<{ readonly requestId: number; readonly details: SpanDetailsView | undefined }>()(
  'details/didLoad',
);
export const SearchCommand = command<{ readonly requestId: number; readonly query: SearchQuery }>()('search/request');
/** Keys of the rows whose name or attributes match. */
export const DidSearchNotification = notification<{ readonly requestId: number; readonly keys: readonly number[] }>()('search/didComplete');
export const OpenSourceCommand = command<SourceLocation>()('source/open');
export const RevealInExplorerCommand = command<{ readonly key: number }>()('explorer/reveal');
export const CopyCommand = command<{ readonly text: string }>()('clipboard/copy');
/** The host's answer to a command that could not be done (file outside the workspace, ...), shown briefly. */
export const DidReportNotification = notification<{ readonly message: string }>()('report/didShow');

/** What the webview persists through a reload (vscode setState / sessionStorage). */
export interface TimelineViewState {
  readonly runId?: number;
  readonly selectedKey?: number;
}
