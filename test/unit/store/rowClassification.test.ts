import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Span, SpanKind } from '../../../extension/src/core/model/span';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { type ClassifiableNode, classifyInContext } from '../../../extension/src/core/semantics/classification';
import { MSGTRACE_SCOPE, hexId, makeSpan } from './spanFactory';
import { TEST_ORIGIN, storeParts } from './storeParts';

describe('core/store row classification', () => {
  it('classifies rows in context exactly as the rules classify the decoded spans of the same tree', () => {
    const p = storeParts();
    p.ingest.fromColumns(decodeTraceRequest(readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb')), { columns: true }), TEST_ORIGIN, 0, Infinity, 0);
    const run = p.runs.oldestFirst()[0]!;
    const { rows } = p.queries.flatten(run);
    // The same tree as ClassifiableNodes over whole Span objects.
    const nodes = new Map<number, ClassifiableNode>();
    const nodeOf = (row: number): ClassifiableNode => {
      let n = nodes.get(row);
      if (n === undefined) {
        const span: Span | undefined = p.reader.span(row);
        const kids = p.queries.children(row);
        nodes.set(
          row,
          (n = {
            span,
            get parent() {
              const parent = p.forest.parentOf(row);
              return parent >= 0 ? nodeOf(parent) : undefined;
            },
            get children() {
              return kids.length ? Array.from(kids, nodeOf) : undefined;
            },
          }),
        );
      }
      return n;
    };
    const classes = new Set<string>();
    for (const row of rows) {
      const cls = p.queries.classOf(row);
      classes.add(cls);
      assert.equal(cls, classifyInContext(nodeOf(row)).cls, p.reader.name(row));
    }
    assert.deepEqual([...classes].sort(), ['agent', 'flow', 'functional', 'generic', 'model', 'module', 'tool']);
  });

  it('finds an agent by the tool library it owns, with no model turn under it', () => {
    const p = storeParts();
    const flow = (id: string, name: string, start: number, end: number) =>
      makeSpan({ traceId: id, spanId: id, name, kind: SpanKind.Server, scope: MSGTRACE_SCOPE, start, end, attrs: { 'span.type': 'flow' } });
    p.add([flow('a', 'Weather Agent', 0, 100), flow('l', 'Weatheragent Tool Library', 10, 50)]);
    const agent = p.reader.find(hexId('a', 32), hexId('a', 16));
    const library = p.reader.find(hexId('l', 32), hexId('l', 16));
    assert.equal(p.queries.classOf(agent), 'agent');
    assert.equal(p.queries.classOf(library), 'module');
  });
});
