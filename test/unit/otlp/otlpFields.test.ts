// The OTLP field table (core/otlp/otlpFields.ts) against the .proto text protobufjs reads, and the decoder's
// checks against the table: every field of every message the decoder walks is rejected with a wrong wire type
// and accepted with its own.
import * as assert from 'node:assert/strict';
import * as protobuf from 'protobufjs';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { OTLP_MESSAGES, type OtlpField, type OtlpMessageName } from '../../../extension/src/core/otlp/otlpFields';
import { WireType } from '../../../extension/src/core/otlp/protoReader';
import { ProtoWriter } from '../../../extension/src/core/otlp/protoWriter';
import { OTLP_TRACE_PROTO } from '../../fixtures/otlpSchema';

const root = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: true }).root;
root.resolveAll();

/** The table's message in the test schema, or undefined for those it does not have. */
const SCHEMA_NAME: Partial<Record<OtlpMessageName, string>> = { 'google.rpc.Status': 'RpcStatus' };
const NOT_IN_SCHEMA: readonly OtlpMessageName[] = ['ExportLogsPartialSuccess', 'ExportMetricsPartialSuccess'];

const BASIC_WIRE: Record<string, number> = { ...(protobuf.types.basic as Record<string, number>) };

function wireOf(f: protobuf.Field): number {
  if (f.type in BASIC_WIRE) return BASIC_WIRE[f.type]!;
  return f.resolvedType instanceof protobuf.Enum ? WireType.Varint : WireType.Len;
}

const fieldsOf = (m: OtlpMessageName): OtlpField[] => Object.values<OtlpField>(OTLP_MESSAGES[m].fields);

describe('core/otlp field table', () => {
  for (const name of Object.keys(OTLP_MESSAGES) as OtlpMessageName[]) {
    if (NOT_IN_SCHEMA.includes(name)) continue;
    it(`${name}: numbers, wire types and both names as opentelemetry-proto has them`, () => {
      const type = root.lookupType(`opentelemetry.proto.${SCHEMA_NAME[name] ?? name}`);
      const expected = type.fieldsArray
        .map(f => ({ no: f.id, wire: wireOf(f), proto: f.name, json: protobuf.util.camelCase(f.name) }))
        .sort((a, b) => a.no - b.no);
      const actual = fieldsOf(name)
        .map(f => ({ no: f.no, wire: f.wire, proto: f.proto, json: f.json }))
        .sort((a, b) => a.no - b.no);
      assert.deepEqual(actual, expected);
      for (const f of fieldsOf(name)) assert.equal(f.tag, (f.no << 3) | f.wire);
    });
  }

  it('logs and metrics partial successes mirror the trace one but for the count', () => {
    for (const m of NOT_IN_SCHEMA) {
      assert.deepEqual(
        fieldsOf(m).map(f => [f.no, f.wire]),
        fieldsOf('ExportTracePartialSuccess').map(f => [f.no, f.wire]),
      );
    }
  });

  it('has field numbers the transcoder and the store can use as bits', () => {
    // jsonBytesTranscoder tracks seen members in a 31-bit mask; restBytes keeps Span fields in a 32-bit one.
    for (const m of Object.keys(OTLP_MESSAGES) as OtlpMessageName[]) for (const f of fieldsOf(m)) assert.ok(f.no < 31, `${m}.${f.json}`);
  });
});

// --- the decoder against the table ------------------------------------------------------------------------

/** Where a message sits in a request: writes `inner` (the message's own bytes) into a whole valid request. */
type Embed = (w: ProtoWriter, inner: (w: ProtoWriter) => void) => void;

const TRACE_ID = Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex');
const SPAN_ID = Buffer.from('b7ad6b7169203331', 'hex');

const message = (w: ProtoWriter, field: number, body: (w: ProtoWriter) => void) => {
  const m = w.begin(field);
  body(w);
  w.end(m);
};
const request: Embed = (w, inner) => inner(w);
const resourceSpans: Embed = (w, inner) => request(w, w => message(w, 1, inner));
const scopeSpans: Embed = (w, inner) => resourceSpans(w, w => message(w, 2, inner));
/** A Span with valid ids; `inner` adds fields after them. */
const span: Embed = (w, inner) =>
  scopeSpans(w, w =>
    message(w, 2, w => {
      w.bytes(1, TRACE_ID);
      w.bytes(2, SPAN_ID);
      inner(w);
    }),
  );
const attribute: Embed = (w, inner) => span(w, w => message(w, 9, inner));
const value: Embed = (w, inner) => attribute(w, w => message(w, 2, inner));

/** How to reach each message the decoder validates (its field numbers in these paths are the .proto's). */
const PLACES: Partial<Record<OtlpMessageName, Embed>> = {
  ExportTraceServiceRequest: request,
  ResourceSpans: resourceSpans,
  Resource: (w, inner) => resourceSpans(w, w => message(w, 1, inner)),
  ScopeSpans: scopeSpans,
  // The scope is read with the first span under it.
  InstrumentationScope: (w, inner) =>
    scopeSpans(w, w => {
      message(w, 1, inner);
      message(w, 2, w => {
        w.bytes(1, TRACE_ID);
        w.bytes(2, SPAN_ID);
      });
    }),
  Span: span,
  'Span.Event': (w, inner) => span(w, w => message(w, 11, inner)),
  'Span.Link': (w, inner) => span(w, w => message(w, 13, inner)),
  Status: (w, inner) => span(w, w => message(w, 15, inner)),
  KeyValue: attribute,
  AnyValue: value,
  ArrayValue: (w, inner) => value(w, w => message(w, 5, inner)),
  KeyValueList: (w, inner) => value(w, w => message(w, 6, inner)),
};

/** One field of wire type `wire` whose value is valid for any field of that type (an empty message or string). */
function writeAs(w: ProtoWriter, no: number, wire: WireType): void {
  if (wire === WireType.Len) w.bytes(no, new Uint8Array(0));
  else if (wire === WireType.Varint) w.uint32(no, 1);
  else if (wire === WireType.I64) w.fixed64(no, 1, 0);
  else w.fixed32(no, 1);
}

function bytesOf(place: Embed, inner: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  place(w, inner);
  return w.finish();
}

describe('core/otlp decoder against the field table', () => {
  for (const [name, place] of Object.entries(PLACES) as [OtlpMessageName, Embed][]) {
    it(`${name}: every field with another wire type is malformed, with its own it decodes`, () => {
      for (const f of fieldsOf(name)) {
        const good = bytesOf(place, w => writeAs(w, f.no, f.wire));
        assert.doesNotThrow(() => decodeTraceRequest(good), `${name}.${f.json} with wire type ${f.wire}`);
        for (const wire of [WireType.Varint, WireType.I64, WireType.Len, WireType.I32]) {
          if (wire === f.wire) continue;
          const bad = bytesOf(place, w => writeAs(w, f.no, wire));
          assert.throws(() => decodeTraceRequest(bad), new RegExp(`${name.replace('.', '\\.')} field ${f.no} has wire type ${wire}`), `${name}.${f.json}`);
        }
      }
    });
  }
});
