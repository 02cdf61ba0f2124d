import * as assert from 'node:assert/strict';
import type { IngestOrigin } from '../../../extension/src/core/store/ingestOrigin';
import type { Run } from '../../../extension/src/core/store/run';
import { RunRegistry } from '../../../extension/src/core/store/runRegistry';
import { ScopeRegistry } from '../../../extension/src/core/store/scopeRegistry';
import { resource, scope } from './spanFactory';

const HTTP: IngestOrigin = { transport: 'http' };

describe('core/store run registry', () => {
  it('joins a new trace to the latest run of its identity that it fits in time, else starts one', () => {
    const created: Run[] = [];
    const runs = new RunRegistry(1000, run => created.push(run));
    const a = resource({ 'service.name': 'agent', 'process.pid': 1 });
    const b = resource({ 'service.name': 'agent', 'process.pid': 2 });
    const r1 = runs.assign(a, 0, 10, HTTP, 0);
    r1.startMs = 0;
    r1.endMs = 10;
    r1.spanCount = 1;
    assert.equal(runs.assign(resource({ 'process.pid': 1, 'service.name': 'agent' }), 500, 600, HTTP, 0), r1, 'the same attributes in another order');
    assert.notEqual(runs.assign(b, 0, 10, HTTP, 0), r1, 'another process');
    const later = runs.assign(a, 5000, 5001, HTTP, 0);
    assert.notEqual(later, r1, 'beyond the gap');
    assert.deepEqual(created.map(r => r.id), [1, 2, 3]);
    assert.deepEqual(runs.newestFirst().map(r => r.id), [3, 2, 1]);
  });

  it('ties a debug session together across gaps and apart from the same resource outside it', () => {
    const runs = new RunRegistry(10, () => undefined);
    const a = resource();
    const session: IngestOrigin = { transport: 'http', debugSessionId: 'S1' };
    const s1 = runs.assign(a, 0, 1, session, 0);
    s1.spanCount = 1;
    s1.endMs = 1;
    assert.equal(runs.assign(a, 60_000, 60_001, session, 0), s1);
    assert.notEqual(runs.assign(a, 0, 1, HTTP, 0), s1);
  });

  it('forgets removed and cleared runs', () => {
    const runs = new RunRegistry(10, () => undefined);
    const r1 = runs.assign(resource(), 0, 1, HTTP, 0);
    assert.equal(runs.has(r1), true);
    assert.equal(runs.remove(r1), true);
    assert.equal(runs.remove(r1), false);
    assert.equal(runs.has(r1), false);
    assert.equal(runs.get(r1.id), undefined);
    const r2 = runs.assign(resource(), 0, 1, HTTP, 0);
    assert.notEqual(r2, r1, 'a removed run is not joined again');
    assert.deepEqual(runs.clear(), [r2]);
    assert.equal(runs.size, 0);
    assert.equal(runs.assign(resource(), 0, 1, HTTP, 0).id, 3, 'ids keep counting up');
  });
});

describe('core/store scope registry', () => {
  it('gives equal resource and scope pairs one id, whatever objects they came in', () => {
    const scopes = new ScopeRegistry();
    const id = scopes.idOf(resource({ 'service.name': 'x' }), scope('lib', '1'));
    assert.equal(scopes.idOf(resource({ 'service.name': 'x' }), scope('lib', '1')), id);
    assert.notEqual(scopes.idOf(resource({ 'service.name': 'x' }), scope('lib', '2')), id);
    assert.notEqual(scopes.idOf(resource({ 'service.name': 'y' }), scope('lib', '1')), id);
    assert.equal(scopes.get(id).scope.name, 'lib');
  });

  it('marks the msgtrace SDK scopes, whose root spans are nested by time', () => {
    const scopes = new ScopeRegistry();
    assert.equal(scopes.get(scopes.idOf(resource(), scope('msgtrace.sdk'))).msgtrace, true);
    assert.equal(scopes.get(scopes.idOf(resource(), scope('opentelemetry.instrumentation.httpx'))).msgtrace, false);
  });
});
