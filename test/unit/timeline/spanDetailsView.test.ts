import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { buildSpanDetails } from '../../../extension/src/timeline/spanDetailsView';
import { RowKeys, buildRows } from '../../../extension/src/timeline/timelineRows';
import { SPAN_CLASS_NAMES } from '../../../extension/src/protocol/timelineProtocol';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { hexId, makeSpan } from '../store/spanFactory';

function demoStore(): TraceStore {
  const store = new TraceStore({ scheduler: new ManualScheduler() });
  store.ingest(decodeTraceRequest(readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb')), { columns: true }), { transport: 'test' });
  store.flush();
  return store;
}

describe('timeline rows and details read the store by row', () => {
  it('builds every column from the row reader: names, classes, facts, in flatten order', () => {
    const store = demoStore();
    const run = store.runs()[0]!;
    const { rows, depths } = store.flatten(run);
    const columns = buildRows(store, run, new RowKeys());
    assert.equal(columns.count, rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      assert.equal(columns.names[columns.name[i]!], store.rows.name(row));
      assert.equal(SPAN_CLASS_NAMES[columns.cls[i]!], store.classOf(row));
      assert.equal(columns.depth[i], depths[i]);
      assert.equal(columns.flags[i]! & SpanFacts.inferredEdge, store.rows.facts(row) & SpanFacts.inferredEdge);
    }
    assert.ok(columns.eventRow.length > 0, 'the exception events of the error span');
  });

  it('details name the inferred container as the parent, and a placeholder as missing', () => {
    const store = demoStore();
    const run = store.runs()[0]!;
    const generator = store.flatten(run).rows.find(row => store.rows.name(row) === 'Generator' && store.parentOf(row) >= 0)!;
    const details = buildSpanDetails(store, generator, 7);
    assert.equal(details.key, 7);
    assert.equal(details.inferredParent, true);
    assert.equal(details.parentSpanId, store.rows.spanId(store.parentOf(generator)));
    assert.equal(details.cls, 'model');
    assert.equal(details.placeholder, false);
    store.ingestSpans([makeSpan({ traceId: 'p', spanId: 'c', parent: 'missing', start: 1, end: 2 })], { transport: 'test' });
    const placeholder = store.findRow(hexId('p', 32), hexId('missing', 16));
    const missing = buildSpanDetails(store, placeholder, 8);
    assert.equal(missing.placeholder, true);
    assert.equal(missing.name, `(missing parent ${hexId('missing', 16)})`);
    assert.deepEqual(missing.subtree, { spans: 1, errors: 0 });
  });
});
