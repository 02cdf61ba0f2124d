import * as assert from 'node:assert/strict';
import { DisposableStore, Emitter } from '../../../../extension/src/core/common/event';

describe('core/common/event', () => {
  it('delivers to every listener until it unsubscribes', () => {
    const emitter = new Emitter<number>();
    const a: number[] = [];
    const b: number[] = [];
    const subA = emitter.event(n => a.push(n));
    emitter.event(n => b.push(n));
    emitter.fire(1);
    subA.dispose();
    emitter.fire(2);
    assert.deepEqual(a, [1]);
    assert.deepEqual(b, [1, 2]);
  });

  it('keeps delivering when one listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<string>(err => errors.push(err));
    const seen: string[] = [];
    emitter.event(() => {
      throw new Error('listener failed');
    });
    emitter.event(s => seen.push(s));
    emitter.fire('x');
    assert.deepEqual(seen, ['x']);
    assert.equal((errors[0] as Error).message, 'listener failed');
  });

  it('DisposableStore disposes once, and at once for late additions', () => {
    const store = new DisposableStore();
    let count = 0;
    store.add({ dispose: () => count++ });
    store.dispose();
    store.dispose();
    assert.equal(count, 1);
    store.add({ dispose: () => count++ });
    assert.equal(count, 2);
  });
});
