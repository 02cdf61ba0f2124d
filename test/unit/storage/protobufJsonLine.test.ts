// The protobuf -> OTLP/JSON line walk (core/otlp/protobufJsonLine.ts) that `msgtrace record` writes with:
// byte for byte the line the Span-object writer makes of the same request (otlpJsonLine), on the recorded
// msgflux request, on generated requests (OTLP/JSON arbitraries and raw protobuf with duplicate fields, unknown
// fields, invalid UTF-8, BOMs, control characters, rejected spans, empty envelopes) and on values large enough to be
// written in steps; and read back by the file reader to the same spans.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { ChunkPool, JsonChunks } from '../../../extension/src/core/otlp/jsonChunks';
import { decodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonDecoder';
import {
  AnyValueField,
  ArrayValueField,
  EventField,
  ExportTraceServiceRequestField,
  InstrumentationScopeField,
  KeyValueField,
  KeyValueListField,
  LinkField,
  ResourceField,
  ResourceSpansField,
  ScopeSpansField,
  SpanField,
  StatusField,
} from '../../../extension/src/core/otlp/otlpFields';
import { traceRequestJsonLine, writeTraceRequestJsonLine } from '../../../extension/src/core/otlp/protobufJsonLine';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { ProtoWriter } from '../../../extension/src/core/otlp/protoWriter';
import { WireType } from '../../../extension/src/core/otlp/protoReader';
import { readOtlpJsonFile } from '../../../extension/src/storage/otlpJsonFileReader';
import { OtlpJsonLinesWriter, otlpJsonLine } from '../../../extension/src/storage/otlpJsonLinesWriter';
import { msgfluxRequest } from '../receiver/msgfluxBodies';
import { agentDemoPb } from '../otlp/fixtures';
import { request as jsonRequest } from '../otlp/otlpArbitraries';
import { assertSameSpans, tempDirs } from './storageHelpers';

/** The line the Span-object writer makes of `body` (what `msgtrace record` wrote before). */
const oldLine = (body: Uint8Array): string => otlpJsonLine(decodeTraceRequest(body).spans);

/** The new line, written with small slices and small chunks so that every step and chunk edge is crossed. */
function newLine(body: Uint8Array, sliceBytes = 256): string {
  const out = new JsonChunks(new ChunkPool(1024));
  const chunks: Buffer[] = [];
  const steps = writeTraceRequestJsonLine(body, out, { sliceBytes });
  for (;;) {
    const next = steps.next();
    chunks.push(...out.take());
    if (next.done) break;
  }
  chunks.push(...out.takeAll());
  return Buffer.concat(chunks).toString('utf8');
}

function assertSameLine(body: Uint8Array, what: string): void {
  const expected = oldLine(body);
  assert.equal(traceRequestJsonLine(body).toString('utf8'), expected, `${what} (in one go)`);
  assert.equal(newLine(body), expected, `${what} (in steps)`);
}

/** A protobuf request from its OTLP/JSON form (the receiver's transcoder: what a JSON request is written from). */
const protobufOf = (json: unknown): Uint8Array => decodeTraceRequestJson(JSON.stringify(json), undefined, { columns: true }).columns!.body;

// Raw protobuf requests, written field by field: any order, repeated singular fields, unknown fields, and string
// bytes that are not always valid UTF-8.
type Write = (w: ProtoWriter) => void;
const message = (field: number, parts: readonly Write[]): Write => w => {
  const m = w.begin(field);
  for (const p of parts) p(w);
  w.end(m);
};
const fields = (...choices: fc.Arbitrary<Write>[]) => fc.array(fc.oneof(...choices), { maxLength: 6 });
const textBytes = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(s => Buffer.from(s)),
  fc.constantFrom('', 'a"b\\c\n\t\u0001\u001f\u007f', '\u2028 <b>x</b>', 'plain ascii', 'x'.repeat(60)).map(s => Buffer.from(s)),
  fc.uint8Array({ maxLength: 12 }).map(b => Buffer.from(b)),
  fc.string({ maxLength: 6 }).map(s => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)])),
);
const text = (field: number) => textBytes.map((b): Write => w => w.bytes(field, b));
const varint = (field: number) => fc.tuple(fc.nat(0xffffffff), fc.constantFrom(0, 0, 1, 0x7fffffff, 0xffffffff)).map(([lo, hi]): Write => w => w.varint64(field, lo, hi));
const fixed64 = (field: number) => fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff)).map(([lo, hi]): Write => w => w.fixed64(field, lo, hi));
const fixed32 = (field: number) => fc.nat(0xffffffff).map((v): Write => w => w.fixed32(field, v));
const unknown = fc.oneof(
  fc.nat().map((v): Write => w => w.uint32(99, v)),
  fc.uint8Array({ maxLength: 4 }).map((b): Write => w => w.bytes(100, b)),
  fc.nat(0xffffffff).map((v): Write => w => w.fixed32(101, v)),
);
const id = (n: number) =>
  fc.oneof({ weight: 12, arbitrary: fc.uint8Array({ minLength: n, maxLength: n }) }, { weight: 1, arbitrary: fc.constant(new Uint8Array(n)) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 9 }) });

const { keyValue } = fc.letrec<{ anyValue: Write; keyValue: Write }>(tie => ({
  anyValue: fields(
    text(AnyValueField.stringValue),
    varint(AnyValueField.boolValue),
    varint(AnyValueField.intValue),
    fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity, 1e21, 5e-324)).map((v): Write => w => w.double(AnyValueField.doubleValue, v)),
    fc.uint8Array({ maxLength: 10 }).map((b): Write => w => w.bytes(AnyValueField.bytesValue, b)),
    fc.array(tie('anyValue'), { maxLength: 3 }).map((items): Write => message(AnyValueField.arrayValue, items.map(v => (w: ProtoWriter) => message(ArrayValueField.values, [v])(w)))),
    fc.array(tie('keyValue'), { maxLength: 3 }).map((items): Write => message(AnyValueField.kvlistValue, items.map(kv => (w: ProtoWriter) => message(KeyValueListField.values, [kv])(w)))),
    unknown,
  ).map((parts): Write => w => parts.forEach(p => p(w))),
  keyValue: fields(text(KeyValueField.key), tie('anyValue').map((v): Write => message(KeyValueField.value, [v])), unknown).map((parts): Write => w => parts.forEach(p => p(w))),
}));
const attribute = (field: number) => keyValue.map((kv): Write => message(field, [kv]));
const event = fields(fixed64(EventField.timeUnixNano), text(EventField.name), attribute(EventField.attributes), varint(EventField.droppedAttributesCount), unknown);
const link = fields(
  id(16).map((b): Write => w => w.bytes(LinkField.traceId, b)),
  id(8).map((b): Write => w => w.bytes(LinkField.spanId, b)),
  text(LinkField.traceState),
  attribute(LinkField.attributes),
  varint(LinkField.droppedAttributesCount),
  fixed32(LinkField.flags),
);
const status = fields(text(StatusField.message), varint(StatusField.code), unknown);
const span = fc
  .tuple(
    id(16).map((b): Write => w => w.bytes(SpanField.traceId, b)),
    id(8).map((b): Write => w => w.bytes(SpanField.spanId, b)),
    fields(
      id(8).map((b): Write => w => w.bytes(SpanField.parentSpanId, b)),
      text(SpanField.traceState),
      text(SpanField.name),
      varint(SpanField.kind),
      fixed64(SpanField.startTimeUnixNano),
      fixed64(SpanField.endTimeUnixNano),
      attribute(SpanField.attributes),
      varint(SpanField.droppedAttributesCount),
      event.map((parts): Write => message(SpanField.events, parts)),
      varint(SpanField.droppedEventsCount),
      link.map((parts): Write => message(SpanField.links, parts)),
      varint(SpanField.droppedLinksCount),
      status.map((parts): Write => message(SpanField.status, parts)),
      fixed32(SpanField.flags),
      unknown,
      // The ids again: the last occurrence counts.
      id(8).map((b): Write => w => w.bytes(SpanField.spanId, b)),
    ),
  )
  .map(([trace, spanId, rest]): Write => message(ScopeSpansField.spans, [trace, spanId, ...rest]));
const scope = fields(text(InstrumentationScopeField.name), text(InstrumentationScopeField.version), attribute(InstrumentationScopeField.attributes), varint(InstrumentationScopeField.droppedAttributesCount), unknown);
const scopeSpans = fields(span, span, scope.map((parts): Write => message(ScopeSpansField.scope, parts)), text(ScopeSpansField.schemaUrl), unknown);
const resource = fields(attribute(ResourceField.attributes), varint(ResourceField.droppedAttributesCount), unknown);
const resourceSpans = fields(
  scopeSpans.map((parts): Write => message(ResourceSpansField.scopeSpans, parts)),
  resource.map((parts): Write => message(ResourceSpansField.resource, parts)),
  text(ResourceSpansField.schemaUrl),
  unknown,
);
const rawRequest = fc.array(fc.oneof({ weight: 4, arbitrary: resourceSpans.map((parts): Write => message(ExportTraceServiceRequestField.resourceSpans, parts)) }, unknown), { maxLength: 4 }).map(parts => {
  const w = new ProtoWriter();
  for (const p of parts) p(w);
  return Buffer.from(w.finish());
});

function accepted(body: Uint8Array): boolean {
  try {
    decodeTraceRequest(body);
    return true;
  } catch {
    return false;
  }
}

describe('protobuf -> OTLP/JSON line (msgtrace record)', () => {
  const dirs = tempDirs();

  it('writes the recorded msgflux request byte for byte as the Span-object writer does', () => {
    assertSameLine(agentDemoPb(), 'msgflux-0.1.0a23-agent-demo.pb');
  });

  it('writes generated OTLP/JSON requests (every AnyValue kind, full uint64 times) as the Span-object writer does', () => {
    fc.assert(
      fc.property(jsonRequest, json => assertSameLine(protobufOf(json), 'generated request')),
      { numRuns: 300 },
    );
  });

  it('writes raw protobuf (repeated and unknown fields, invalid UTF-8, BOMs, rejected spans, empty envelopes) as the Span-object writer does', () => {
    let checked = 0;
    let spans = 0;
    fc.assert(
      fc.property(rawRequest, body => {
        if (!accepted(body)) return;
        checked++;
        spans += decodeTraceRequest(body).spans.length;
        assertSameLine(body, `raw request ${body.toString('hex')}`);
      }),
      { numRuns: 600 },
    );
    assert.ok(checked > 300 && spans > 200, `only ${checked} generated requests were valid, with ${spans} spans`);
  });

  it('writes values larger than a step piece by piece, the same text', () => {
    const w = new ProtoWriter();
    const rs = w.begin(ExportTraceServiceRequestField.resourceSpans);
    const res = w.begin(ResourceSpansField.resource);
    for (let i = 0; i < 20_000; i++) {
      const kv = w.begin(ResourceField.attributes);
      w.string(KeyValueField.key, `k${i}`);
      const v = w.begin(KeyValueField.value);
      w.uint32(AnyValueField.intValue, i);
      w.end(v);
      w.end(kv);
    }
    w.end(res);
    const ss = w.begin(ResourceSpansField.scopeSpans);
    const sp = w.begin(ScopeSpansField.spans);
    w.bytes(SpanField.traceId, Buffer.alloc(16, 1));
    w.bytes(SpanField.spanId, Buffer.alloc(8, 2));
    // A name of 200 KiB with escapes and multi-byte characters across piece edges.
    w.string(SpanField.name, `${'é"\n'.repeat(30_000)}${'€'.repeat(40_000)}`);
    const attr = (value: (w: ProtoWriter) => void) => {
      const kv = w.begin(SpanField.attributes);
      w.string(KeyValueField.key, 'big');
      const v = w.begin(KeyValueField.value);
      value(w);
      w.end(v);
      w.end(kv);
    };
    // Invalid UTF-8 with a 3-byte character and a broken sequence cut at every piece edge.
    const invalid = Buffer.alloc(300_000, 0x61);
    for (let p = 65_536 - 1; p < invalid.length; p += 65_536) invalid.set([0xe2, 0x82, 0xac, 0xe2, 0x82], p);
    attr(x => x.bytes(AnyValueField.stringValue, invalid));
    attr(x => x.bytes(AnyValueField.stringValue, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.alloc(100_000, 0x22)])));
    attr(x => x.bytes(AnyValueField.bytesValue, Buffer.from(Array.from({ length: 400_001 }, (_, i) => i & 255))));
    attr(x => {
      const arr = x.begin(AnyValueField.arrayValue);
      for (let i = 0; i < 30_000; i++) {
        const item = x.begin(ArrayValueField.values);
        if (i % 3 === 0) x.double(AnyValueField.doubleValue, i / 7);
        else if (i % 3 === 1) x.string(AnyValueField.stringValue, `s${i}`);
        else {
          const kvl = x.begin(AnyValueField.kvlistValue);
          const kv = x.begin(KeyValueListField.values);
          x.string(KeyValueField.key, 'nested');
          const v = x.begin(KeyValueField.value);
          x.bytes(AnyValueField.stringValue, Buffer.alloc(i === 2 ? 70_000 : 3, 0x41));
          x.end(v);
          x.end(kv);
          x.end(kvl);
        }
        x.end(item);
      }
      x.end(arr);
    });
    const ev = w.begin(SpanField.events);
    w.string(EventField.name, 'e'.repeat(70_000));
    for (let i = 0; i < 5_000; i++) {
      const kv = w.begin(EventField.attributes);
      w.string(KeyValueField.key, `a${i}`);
      w.end(kv);
    }
    w.end(ev);
    const st = w.begin(SpanField.status);
    w.string(StatusField.message, 'm'.repeat(80_000));
    w.uint32(StatusField.code, 2);
    w.end(st);
    w.end(sp);
    w.end(ss);
    w.end(rs);
    const body = Buffer.from(w.finish());
    assertSameLine(body, 'large values');
    assert.equal(newLine(body, 64 * 1024), oldLine(body), 'default slices');
  });

  it('reads back to the same spans: the recorded request and generated ones, through the file reader', async () => {
    const dir = dirs.make();
    const bodies = [agentDemoPb(), ...fc.sample(jsonRequest, { numRuns: 60, seed: 18 }).map(protobufOf)].filter(b => decodeTraceRequest(b).spans.length > 0);
    const file = join(dir, 'record.jsonl');
    fs.writeFileSync(file, Buffer.concat(bodies.map(b => traceRequestJsonLine(b))));
    const read = await readOtlpJsonFile(file);
    assert.equal(read.lines, bodies.length);
    assertSameSpans(
      read.batches.flatMap(b => b.spans),
      bodies.flatMap(b => decodeTraceRequest(b).spans),
      'read back',
    );
  });

  it('refuses bytes the decoder refuses instead of writing garbage', () => {
    const pb = agentDemoPb();
    assert.throws(() => traceRequestJsonLine(pb.subarray(0, pb.length - 7)), /runs past the end|truncated/);
    // resourceSpans (field 1) as a varint: the wrong wire type.
    assert.throws(() => traceRequestJsonLine(Buffer.from([(ExportTraceServiceRequestField.resourceSpans << 3) | WireType.Varint, 1])), /wire type/);
  });
});

describe('OtlpJsonLinesWriter.writeRequest (msgtrace record)', () => {
  const dirs = tempDirs();

  it('writes the lines in call order, nothing for a request without accepted spans, and says what still waits', async () => {
    const file = join(dirs.make(), 'out.jsonl');
    const writer = await OtlpJsonLinesWriter.open(file);
    const bodies = fc.sample(jsonRequest, { numRuns: 40, seed: 7 }).map(protobufOf);
    // One request whose only span has an all-zero trace id: rejected, so no line.
    const rejected = protobufOf({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0'.repeat(32), spanId: '1'.repeat(16), name: 'x' }] }] }] });
    assert.equal(decodeTraceRequest(rejected).spans.length, 0);
    const all = [agentDemoPb(), rejected, ...bodies];
    let written = 0;
    const promises = all.map(b => writer.writeRequest(b, { sliceMs: 0 }).then(() => written++));
    assert.equal(writer.pendingBytes, all.reduce((n, b) => n + b.length, 0));
    let paced = false;
    const pacing = writer.whenPendingAtMost(0).then(() => (paced = true));
    assert.equal(paced, false);
    await Promise.all(promises);
    await pacing;
    assert.equal(writer.pendingBytes, 0);
    assert.equal(written, all.length);
    await writer.close();
    const expected = all.map(oldLine).filter(l => l !== '{"resourceSpans":[]}\n');
    assert.equal(fs.readFileSync(file, 'utf8'), expected.join(''));
    assert.equal(writer.lines, expected.length);
  });

  it('writes a 24 MB request in slices: the event loop gets turns while the line goes out in chunks', async () => {
    const file = join(dirs.make(), 'big.jsonl');
    const writer = await OtlpJsonLinesWriter.open(file);
    const body = msgfluxRequest(50_000);
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    await writer.writeRequest(body, { sliceMs: 4 });
    clearInterval(ticker);
    await writer.close();
    assert.ok(turns > 5, `only ${turns} timer turns while writing`);
    assert.equal(fs.readFileSync(file, 'utf8'), oldLine(body));
  });
});
