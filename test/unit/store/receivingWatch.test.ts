import * as assert from 'node:assert/strict';
import { ReceivingWatch } from '../../../extension/src/core/store/receivingWatch';
import { Run } from '../../../extension/src/core/store/run';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { resource } from './spanFactory';

describe('core/store receiving watch', () => {
  const run = (id: number, at: number) => new Run(id, `i${id}`, resource(), { transport: 'test' }, at);

  it('says once per run when it has been quiet for the idle time, with one timer for all runs', () => {
    const scheduler = new ManualScheduler();
    const idle: number[][] = [];
    const watch = new ReceivingWatch(scheduler, 1000, runs => idle.push(runs.map(r => r.id)));
    const a = run(1, 0);
    watch.received(a);
    scheduler.advance(400);
    const b = run(2, 400);
    watch.received(b);
    watch.received(a);
    a.lastReceivedAt = 400;
    assert.equal(scheduler.pending, 1);
    assert.equal(watch.isReceiving(a), true);
    scheduler.advance(999);
    assert.deepEqual(idle, []);
    scheduler.advance(1);
    assert.deepEqual(idle, [[1, 2]]);
    assert.equal(watch.isReceiving(a), false);
    assert.equal(scheduler.pending, 0);
  });

  it('waits again for runs that received after the timer was set, and forgets runs that are gone', () => {
    const scheduler = new ManualScheduler();
    const idle: number[][] = [];
    const watch = new ReceivingWatch(scheduler, 1000, runs => idle.push(runs.map(r => r.id)));
    const a = run(1, 0);
    const b = run(2, 0);
    watch.received(a);
    watch.received(b);
    scheduler.advance(600);
    b.lastReceivedAt = 600;
    watch.received(b);
    scheduler.advance(400);
    assert.deepEqual(idle, [[1]]);
    watch.forget(b);
    scheduler.advance(5000);
    assert.deepEqual(idle, [[1]]);
    watch.received(a);
    watch.dispose();
    assert.equal(scheduler.pending, 0);
  });
});
