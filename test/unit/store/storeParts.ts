// The store's modules wired as TraceStore wires them, without the facade, so each module's test can drive it
// and look at the others directly (the span table, the counters, the pending change).
import type { Span } from '../../../extension/src/core/model/span';
import { ChangeCollector } from '../../../extension/src/core/store/changeCollector';
import { Eviction } from '../../../extension/src/core/store/eviction';
import { SpanIngest } from '../../../extension/src/core/store/ingest';
import type { IngestOrigin } from '../../../extension/src/core/store/ingestOrigin';
import { NestingInference } from '../../../extension/src/core/store/nestingInference';
import { RowReader } from '../../../extension/src/core/store/rowReader';
import type { Run } from '../../../extension/src/core/store/run';
import { RunRegistry } from '../../../extension/src/core/store/runRegistry';
import { ScopeRegistry } from '../../../extension/src/core/store/scopeRegistry';
import { SpanForest } from '../../../extension/src/core/store/spanForest';
import { SpanTable } from '../../../extension/src/core/store/spanTable';
import { StoreTotals } from '../../../extension/src/core/store/storeChange';
import { ViewQueries } from '../../../extension/src/core/store/viewQueries';

export const TEST_ORIGIN: IngestOrigin = { transport: 'test' };

export function storeParts(runGapMs = 10_000) {
  const table = new SpanTable();
  const totals = new StoreTotals();
  const changes = new ChangeCollector(table);
  const forest = new SpanForest(table);
  const scopes = new ScopeRegistry();
  const created: Run[] = [];
  const runs = new RunRegistry(runGapMs, run => {
    created.push(run);
    changes.runAdded(run);
  });
  const nesting = new NestingInference(table, forest, runs, changes);
  const received: Run[] = [];
  const ingest = new SpanIngest(table, scopes, runs, forest, nesting, changes, totals, run => received.push(run));
  const eviction = new Eviction(table, runs, forest, nesting, changes, totals);
  const reader = new RowReader(table, scopes);
  const queries = new ViewQueries(table, forest, nesting, reader, changes);
  /** Span objects in, as TraceStore.ingestSpans does (without retention or events). */
  const add = (spans: readonly Span[], now = 0) => ingest.fromSpans(spans, TEST_ORIGIN, now);
  return { table, totals, changes, forest, scopes, runs, nesting, ingest, eviction, reader, queries, created, received, add };
}
