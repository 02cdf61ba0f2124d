// When runs stop receiving. A run counts as receiving while its last batch is younger than the idle time;
// views show that ("receiving", a spinner) and must repaint when it ends. One timer for all runs says when,
// so no view has to guess the store's idle time with a timer of its own.
import type { Disposable } from '../common/event';
import type { Run } from './run';
import type { Scheduler } from './scheduler';

export class ReceivingWatch implements Disposable {
  private readonly receiving = new Set<Run>();
  private timer: Disposable | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly idleMs: number,
    /** Called with the runs that went quiet, when the timer finds some. */
    private readonly onIdle: (runs: readonly Run[]) => void,
  ) {}

  isReceiving(run: Run): boolean {
    return this.scheduler.now() - run.lastReceivedAt < this.idleMs;
  }

  /** A batch added to the run (its lastReceivedAt is now). */
  received(run: Run): void {
    this.receiving.add(run);
    // Not re-armed per batch: when it fires early for a run that got more since, it waits again (check()).
    this.timer ??= this.scheduler.schedule(this.idleMs, () => this.check());
  }

  /** The run is gone: it never goes idle. */
  forget(run: Run): void {
    this.receiving.delete(run);
  }

  clear(): void {
    this.receiving.clear();
  }

  private check(): void {
    this.timer = undefined;
    const now = this.scheduler.now();
    const quiet: Run[] = [];
    let next = Infinity;
    for (const run of this.receiving) {
      const due = run.lastReceivedAt + this.idleMs;
      if (due <= now) quiet.push(run);
      else next = Math.min(next, due);
    }
    for (const run of quiet) this.receiving.delete(run);
    if (next < Infinity) this.timer = this.scheduler.schedule(next - now, () => this.check());
    if (quiet.length > 0) this.onIdle(quiet);
  }

  dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.receiving.clear();
  }
}
