import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind, StatusCode } from '../../../extension/src/core/model/span';
import { decodeTraceRequest, protobufDetailsCodec } from '../../../extension/src/core/otlp/protobufDecoder';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { MSGTRACE_SCOPE, hexId, makeSpan } from './spanFactory';
import { TEST_ORIGIN, storeParts } from './storeParts';

describe('core/store row reader', () => {
  it('reads a row word by word: facts, name, ids, kind, status, times', () => {
    const p = storeParts();
    p.add([
      makeSpan({ traceId: 't', spanId: 'a', name: 'root', kind: SpanKind.Server, start: 10, end: 20.5, status: StatusCode.Error, statusMessage: 'boom\nsecond line', attrs: { 'gen_ai.usage.input_tokens': 3n, 'code.file.path': '/x.py' }, events: [{ name: 'exception' }] }),
      makeSpan({ traceId: 't', spanId: 'b', parent: 'a', name: 'child', start: 11, end: 12 }),
    ]);
    const r = p.reader;
    const root = r.find(hexId('t', 32), hexId('a', 16));
    const child = r.find(hexId('t', 32), hexId('b', 16));
    assert.ok(root >= 0 && child >= 0);
    assert.equal(r.facts(root), SpanFacts.error | SpanFacts.hasChildren | SpanFacts.hasUsage | SpanFacts.hasSource | SpanFacts.hasEvents);
    assert.equal(r.facts(child), 0);
    assert.equal(r.name(root), 'root');
    assert.equal(r.traceId(root), hexId('t', 32));
    assert.equal(r.spanId(child), hexId('b', 16));
    assert.equal(r.kind(root), SpanKind.Server);
    assert.equal(r.status(root), StatusCode.Error);
    assert.equal(r.statusMessage(root), 'boom\nsecond line');
    assert.equal(r.durationNanos(root), 10_500_000);
    assert.equal(r.relativeMs(child, false, r.ms(root), r.subMsNanos(root)), 1);
    assert.equal(r.relativeMs(child, true, r.ms(root), r.subMsNanos(root)), 2);
    assert.deepEqual(r.details(root).events.map(e => e.name), ['exception']);
    assert.equal(r.scopeOf(root)?.scope.name, 'test.scope');
  });

  it('materializes the span exactly as it came, details included, and a placeholder as none', () => {
    const body = readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb'));
    const spans = decodeTraceRequest(body).spans;
    const p = storeParts();
    p.ingest.fromColumns(decodeTraceRequest(body, { columns: true }), TEST_ORIGIN, 0, Infinity, 0);
    for (const s of spans) {
      const back = p.reader.span(p.reader.find(s.traceId, s.spanId))!;
      assert.equal(back.name, s.name);
      assert.equal(back.statusMessage, s.statusMessage);
      assert.deepEqual(back.details(), s.details());
      assert.deepEqual(back.indexed, s.indexed);
      assert.equal(back.parentSpanId, '', 'an inferred parent is not a parentSpanId');
    }
    p.add([makeSpan({ traceId: 'q', spanId: 'c', parent: 'missing' })]);
    const placeholder = p.reader.find(hexId('q', 32), hexId('missing', 16));
    assert.ok(p.reader.facts(placeholder) & SpanFacts.placeholder);
    assert.equal(p.reader.span(placeholder), undefined);
    assert.equal(p.reader.name(placeholder), '');
    assert.equal(p.reader.intrinsicClass(placeholder), 'generic');
  });

  it('gives the class computed at ingest, and a probe with only what the context rules read', () => {
    const p = storeParts();
    p.add([makeSpan({ traceId: 'm', spanId: 'm', name: 'My Agent', kind: SpanKind.Server, scope: MSGTRACE_SCOPE, attrs: { 'span.type': 'flow', other: 'x' } })]);
    const row = p.reader.find(hexId('m', 32), hexId('m', 16));
    assert.equal(p.reader.intrinsicClass(row), 'flow');
    const probe = p.reader.classProbe(row)!;
    assert.equal(probe.name, 'My Agent');
    assert.equal(probe.kind, SpanKind.Server);
    assert.equal(probe.scope, MSGTRACE_SCOPE);
    assert.deepEqual(probe.indexed.map(kv => [kv.key, kv.value]), [['span.type', 'flow']]);
  });

  it('reads a row that is gone as empty, never as another span', () => {
    const p = storeParts();
    p.add([makeSpan({ traceId: 'g', spanId: 'g', name: 'gone', status: StatusCode.Error })]);
    const row = p.reader.find(hexId('g', 32), hexId('g', 16));
    assert.equal(p.reader.has(row), true);
    p.eviction.dropRun(p.runs.oldestFirst()[0]!, false);
    assert.equal(p.reader.has(row), false);
    assert.equal(p.reader.find(hexId('g', 32), hexId('g', 16)), -1);
    assert.equal(p.reader.facts(row), 0);
    assert.equal(p.reader.name(row), '');
    assert.equal(p.reader.spanId(row), '');
    assert.equal(p.reader.status(row), StatusCode.Unset);
    assert.ok(Number.isNaN(p.reader.durationNanos(row)));
    assert.equal(p.reader.span(row), undefined);
    assert.equal(p.reader.has(-1), false);
    assert.equal(p.reader.span(-1), undefined);
    assert.equal(p.reader.find('not hex', 'x'), -1);
  });

  it("gives a row's raw rest bytes: what details() decodes, empty for a placeholder, nothing once evicted", () => {
    const p = storeParts();
    const attrs = { 'gen_ai.operation.name': 'chat', n: 3n };
    p.add([
      makeSpan({ traceId: 't', spanId: 'a', name: 'x', attrs, statusMessage: 'why', events: [{ name: 'e' }] }),
      makeSpan({ traceId: 'u', spanId: 'b', name: 'y', attrs, statusMessage: 'why', events: [{ name: 'e' }] }),
      makeSpan({ traceId: 'u', spanId: 'c', parent: 'missing', name: 'z', attrs: { n: 4n } }),
      makeSpan({ traceId: 'u', spanId: 'd', name: 'bare' }),
    ]);
    const r = p.reader;
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(id => r.find(hexId(id === 'a' ? 't' : 'u', 32), hexId(id, 16)));
    const ba = r.restBytes(a!)!;
    assert.ok(ba.length > 0);
    assert.deepEqual(protobufDetailsCodec.decodeDetails(ba, 0, ba.length), r.details(a!));
    assert.deepEqual([...r.restBytes(b!)!], [...ba], 'the same attributes, events and message, the same bytes');
    assert.notDeepEqual([...r.restBytes(c!)!], [...ba]);
    assert.equal(r.restBytes(d!)!.length, 0);
    assert.equal(r.restBytes(r.find(hexId('u', 32), hexId('missing', 16)))!.length, 0, 'a placeholder has none');
    assert.equal(r.restBytes(-1), undefined);
    p.eviction.dropRun(p.runs.oldestFirst()[0]!, true);
    assert.equal(r.restBytes(a!), undefined);
  });
});
