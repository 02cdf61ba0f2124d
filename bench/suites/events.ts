// Core event delivery (the store's change events go through core/common/event.Emitter), against Node's
// EventEmitter, the obvious alternative.
import { EventEmitter } from 'node:events';
import { Emitter } from '../../extension/src/core/common/event';
import { type BenchSuite, interleaved, median } from '../harness';

export const eventsSuite: BenchSuite = {
  name: 'events',
  async run({ runs, quick }) {
    const n = quick ? 100_000 : 2_000_000;
    const emitter = new Emitter<number>();
    const node = new EventEmitter();
    let sink = 0;
    for (let i = 0; i < 3; i++) {
      emitter.event(x => (sink += x));
      node.on('e', (x: number) => (sink += x));
    }
    const perSecond = (fn: () => void) => () => {
      const t0 = performance.now();
      fn();
      return n / ((performance.now() - t0) / 1000);
    };
    const r = await interleaved(runs, {
      core: perSecond(() => { for (let i = 0; i < n; i++) emitter.fire(i); }),
      node: perSecond(() => { for (let i = 0; i < n; i++) node.emit('e', i); }),
    });
    if (sink === 0) throw new Error('listeners never ran');
    return [
      { name: 'events / node:events EventEmitter, 3 listeners', median: median(r.node!), unit: 'events/s', runs, better: 'higher' },
      { name: 'events / core Emitter, 3 listeners', median: median(r.core!), unit: 'events/s', runs, better: 'higher', baseline: 'events / node:events EventEmitter, 3 listeners' },
    ];
  },
};
