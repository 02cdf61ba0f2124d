// Which run "Compare with Previous Run" picks: the newest older run with the same key, skipping empty runs.
import * as assert from 'node:assert/strict';
import { previousRunOf } from '../../../extension/src/core/compare/previousRun';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { makeSpan, resource } from '../store/spanFactory';

describe('previousRunOf', () => {
  /** One run per call: its own debug session keeps it apart from the others. */
  function addRun(store: TraceStore, service: string, session: string): void {
    store.ingestSpans([makeSpan({ traceId: `t${session}`, spanId: 'a', name: 'root', resource: resource({ 'service.name': service }) })], { transport: 'test', debugSessionId: session });
  }

  it('gives the newest older run of the same key, and nothing for the first run of a key', () => {
    const store = new TraceStore();
    addRun(store, 'agent', '1');
    addRun(store, 'other', '2');
    addRun(store, 'agent', '3');
    addRun(store, 'agent', '4');
    const [r4, r3, r2, r1] = store.runs();
    const key = (r: { serviceName: string }) => r.serviceName;
    assert.equal(previousRunOf(store.runs(), r4!, key), r3);
    assert.equal(previousRunOf(store.runs(), r3!, key), r1);
    assert.equal(previousRunOf(store.runs(), r1!, key), undefined);
    assert.equal(previousRunOf(store.runs(), r2!, key), undefined, 'no earlier run of service "other"');
    store.dispose();
  });
});
