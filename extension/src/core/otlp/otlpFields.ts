// The one table of the OTLP messages msgtrace reads and writes (opentelemetry-proto: trace/v1/trace.proto,
// common/v1/common.proto, resource/v1/resource.proto, collector/trace/v1/trace_service.proto; and
// google/rpc/status.proto): for every message, its fields' numbers (`…Field`), their tags, which carry the
// wire type (`…Tag`), and their names. Decoders, validators, writers and both JSON transcoders take their
// numbers, tags and names from here and nowhere else; test/unit/otlp/otlpFields.test.ts checks the table
// against the .proto text protobufjs reads.
//
// Why enums: esbuild inlines a TypeScript enum member's value wherever it is used, across modules too, so
// `case SpanTag.name:` compiles to the literal and a switch over tags to V8's compare tree of immediates. A
// property of a `const` object does not: V8 (Node 20) loads and checks every case's value, one after the other
// (seen in its optimized code for the decoder's span loop, and a few percent of the decode). The lint rule
// prefer-literal-enum-member wants literal members, so a tag is written out rather than computed from the
// field number and wire type; `describe` below checks every one when the module loads.
//
// Names (docs/otlp.md#json-encoding): a member's name is the field's OTLP/JSON name, lowerCamelCase, the only
// form the OTLP specification allows. The .proto name (snake_case), which ProtoJSON parsers such as the
// Collector's also accept although OTLP calls it invalid, is `proto` in OTLP_MESSAGES; msgtrace reads only the
// lowerCamelCase name (another key is an unknown field and is ignored).
import { type ProtoReader, WireType } from './protoReader';

// collector/trace/v1/trace_service.proto

export enum ExportTraceServiceRequestField {
  resourceSpans = 1,
}
export enum ExportTraceServiceRequestTag {
  resourceSpans = 0x0a,
}

export enum ExportTraceServiceResponseField {
  partialSuccess = 1,
}
export enum ExportTraceServiceResponseTag {
  partialSuccess = 0x0a,
}

export enum ExportTracePartialSuccessField {
  rejectedSpans = 1,
  errorMessage = 2,
}
export enum ExportTracePartialSuccessTag {
  rejectedSpans = 0x08,
  errorMessage = 0x12,
}

// Logs and metrics are acknowledged with the same shape; only the count's name differs (docs/otlp.md).
export enum ExportLogsPartialSuccessField {
  rejectedLogRecords = 1,
  errorMessage = 2,
}
export enum ExportLogsPartialSuccessTag {
  rejectedLogRecords = 0x08,
  errorMessage = 0x12,
}

export enum ExportMetricsPartialSuccessField {
  rejectedDataPoints = 1,
  errorMessage = 2,
}
export enum ExportMetricsPartialSuccessTag {
  rejectedDataPoints = 0x08,
  errorMessage = 0x12,
}

// trace/v1/trace.proto

export enum ResourceSpansField {
  resource = 1,
  scopeSpans = 2,
  schemaUrl = 3,
}
export enum ResourceSpansTag {
  resource = 0x0a,
  scopeSpans = 0x12,
  schemaUrl = 0x1a,
}

export enum ScopeSpansField {
  scope = 1,
  spans = 2,
  schemaUrl = 3,
}
export enum ScopeSpansTag {
  scope = 0x0a,
  spans = 0x12,
  schemaUrl = 0x1a,
}

export enum SpanField {
  traceId = 1,
  spanId = 2,
  traceState = 3,
  parentSpanId = 4,
  name = 5,
  kind = 6,
  startTimeUnixNano = 7,
  endTimeUnixNano = 8,
  attributes = 9,
  droppedAttributesCount = 10,
  events = 11,
  droppedEventsCount = 12,
  links = 13,
  droppedLinksCount = 14,
  status = 15,
  flags = 16,
}
export enum SpanTag {
  traceId = 0x0a,
  spanId = 0x12,
  traceState = 0x1a,
  parentSpanId = 0x22,
  name = 0x2a,
  kind = 0x30,
  startTimeUnixNano = 0x39,
  endTimeUnixNano = 0x41,
  attributes = 0x4a,
  droppedAttributesCount = 0x50,
  events = 0x5a,
  droppedEventsCount = 0x60,
  links = 0x6a,
  droppedLinksCount = 0x70,
  status = 0x7a,
  flags = 0x85,
}

/** Span.Event. */
export enum EventField {
  timeUnixNano = 1,
  name = 2,
  attributes = 3,
  droppedAttributesCount = 4,
}
export enum EventTag {
  timeUnixNano = 0x09,
  name = 0x12,
  attributes = 0x1a,
  droppedAttributesCount = 0x20,
}

/** Span.Link. */
export enum LinkField {
  traceId = 1,
  spanId = 2,
  traceState = 3,
  attributes = 4,
  droppedAttributesCount = 5,
  flags = 6,
}
export enum LinkTag {
  traceId = 0x0a,
  spanId = 0x12,
  traceState = 0x1a,
  attributes = 0x22,
  droppedAttributesCount = 0x28,
  flags = 0x35,
}

// Field 1 (the old `deprecated_code`) is reserved: skipped like any unknown field.
export enum StatusField {
  message = 2,
  code = 3,
}
export enum StatusTag {
  message = 0x12,
  code = 0x18,
}

// resource/v1/resource.proto

export enum ResourceField {
  attributes = 1,
  droppedAttributesCount = 2,
}
export enum ResourceTag {
  attributes = 0x0a,
  droppedAttributesCount = 0x10,
}

// common/v1/common.proto

export enum InstrumentationScopeField {
  name = 1,
  version = 2,
  attributes = 3,
  droppedAttributesCount = 4,
}
export enum InstrumentationScopeTag {
  name = 0x0a,
  version = 0x12,
  attributes = 0x1a,
  droppedAttributesCount = 0x20,
}

export enum KeyValueField {
  key = 1,
  value = 2,
}
export enum KeyValueTag {
  key = 0x0a,
  value = 0x12,
}

/** A oneof: at most one of these is set. */
export enum AnyValueField {
  stringValue = 1,
  boolValue = 2,
  intValue = 3,
  doubleValue = 4,
  arrayValue = 5,
  kvlistValue = 6,
  bytesValue = 7,
}
export enum AnyValueTag {
  stringValue = 0x0a,
  boolValue = 0x10,
  intValue = 0x18,
  doubleValue = 0x21,
  arrayValue = 0x2a,
  kvlistValue = 0x32,
  bytesValue = 0x3a,
}

export enum ArrayValueField {
  values = 1,
}
export enum ArrayValueTag {
  values = 0x0a,
}

export enum KeyValueListField {
  values = 1,
}
export enum KeyValueListTag {
  values = 0x0a,
}

// google/rpc/status.proto (`details`, field 3, is never written)

export enum RpcStatusField {
  code = 1,
  message = 2,
}
export enum RpcStatusTag {
  code = 0x08,
  message = 0x12,
}

/** Each message as [its field numbers, its tags], by the name errors and tests use for it. */
const MESSAGES = {
  ExportTraceServiceRequest: [ExportTraceServiceRequestField, ExportTraceServiceRequestTag],
  ExportTraceServiceResponse: [ExportTraceServiceResponseField, ExportTraceServiceResponseTag],
  ExportTracePartialSuccess: [ExportTracePartialSuccessField, ExportTracePartialSuccessTag],
  ExportLogsPartialSuccess: [ExportLogsPartialSuccessField, ExportLogsPartialSuccessTag],
  ExportMetricsPartialSuccess: [ExportMetricsPartialSuccessField, ExportMetricsPartialSuccessTag],
  ResourceSpans: [ResourceSpansField, ResourceSpansTag],
  ScopeSpans: [ScopeSpansField, ScopeSpansTag],
  Span: [SpanField, SpanTag],
  'Span.Event': [EventField, EventTag],
  'Span.Link': [LinkField, LinkTag],
  Status: [StatusField, StatusTag],
  Resource: [ResourceField, ResourceTag],
  InstrumentationScope: [InstrumentationScopeField, InstrumentationScopeTag],
  KeyValue: [KeyValueField, KeyValueTag],
  AnyValue: [AnyValueField, AnyValueTag],
  ArrayValue: [ArrayValueField, ArrayValueTag],
  KeyValueList: [KeyValueListField, KeyValueListTag],
  'google.rpc.Status': [RpcStatusField, RpcStatusTag],
} as const satisfies Record<string, readonly [FieldNumbers, FieldNumbers]>;

/** An enum object: its members, and (for numeric enums) the reverse mapping from value to name. */
type FieldNumbers = Record<string, string | number>;

export type OtlpMessageName = keyof typeof MESSAGES;
/** The OTLP/JSON names of message M's fields. */
export type OtlpJsonName<M extends OtlpMessageName> = keyof (typeof MESSAGES)[M][0] & string;
/** Any OTLP/JSON field name of the table. */
export type AnyOtlpJsonName = { [M in OtlpMessageName]: OtlpJsonName<M> }[OtlpMessageName];
/** An OTLP/JSON object of message M as parsed: its known members, each of any JSON value until checked. */
export type OtlpJsonObject<M extends OtlpMessageName> = { [K in OtlpJsonName<M>]?: unknown };

export interface OtlpField {
  readonly no: number;
  readonly wire: WireType;
  /** (no << 3) | wire, as it starts the field on the wire. */
  readonly tag: number;
  /** The OTLP/JSON name (lowerCamelCase). */
  readonly json: string;
  /** The .proto name (snake_case). */
  readonly proto: string;
}

export interface OtlpMessage<M extends OtlpMessageName = OtlpMessageName> {
  /** As error messages name it. */
  readonly name: M;
  readonly fields: { readonly [K in OtlpJsonName<M>]: OtlpField };
  /** By field number; undefined for a number the message does not have. */
  readonly byNumber: readonly (OtlpField | undefined)[];
}

const snakeCase = (json: string) => json.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);

/** Enum members only: a numeric enum object also maps each value back to its name. */
const membersOf = (e: FieldNumbers) => Object.entries(e).filter((entry): entry is [string, number] => typeof entry[1] === 'number');

function describe<M extends OtlpMessageName>(name: M): OtlpMessage<M> {
  const [numbers, tags] = MESSAGES[name] as readonly [FieldNumbers, FieldNumbers];
  const fields: Record<string, OtlpField> = {};
  const byNumber: (OtlpField | undefined)[] = [];
  for (const [json, no] of membersOf(numbers)) {
    const tag = tags[json];
    // The tags are written out (see the top of the file); a wrong one must not load.
    if (typeof tag !== 'number' || tag >>> 3 !== no || (tag & 7) > WireType.I32) throw new Error(`otlpFields: ${name}.${json} has tag ${tag}`);
    const field: OtlpField = Object.freeze({ no, wire: tag & 7, tag, json, proto: snakeCase(json) });
    fields[json] = field;
    byNumber[no] = field;
  }
  if (membersOf(tags).length !== membersOf(numbers).length) throw new Error(`otlpFields: ${name} has tags for fields it does not have`);
  return Object.freeze({ name, fields: Object.freeze(fields) as OtlpMessage<M>['fields'], byNumber: Object.freeze(byNumber) });
}

/** Every message of the table, described: for the cold paths (errors), the JSON transcoders' name tables, tests. */
export const OTLP_MESSAGES: { readonly [M in OtlpMessageName]: OtlpMessage<M> } = Object.freeze(
  Object.fromEntries((Object.keys(MESSAGES) as OtlpMessageName[]).map(m => [m, describe(m)])) as { [M in OtlpMessageName]: OtlpMessage<M> },
);

/**
 * A field the reader's switch did not take (the cold path of every message walk): a known field with another
 * wire type is malformed data; a known field the reader does not want, or an unknown one, is skipped (unknown
 * field numbers and wire types checked first). `at` is where the tag started, for the error's offset.
 */
export function otherField(r: ProtoReader, m: OtlpMessage, tag: number, end: number, depth: number, at: number): void {
  const field = tag >>> 3;
  const wt = tag & 7;
  const known = m.byNumber[field];
  if (known !== undefined && known.wire !== wt) r.wrongType(m.name, field, wt, at);
  r.checkField(tag);
  r.skip(wt, end, field, depth);
}
