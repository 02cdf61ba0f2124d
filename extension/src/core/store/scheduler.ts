// The store's only contact with time, so tests can drive coalescing deterministically.
import type { Disposable } from '../common/event';

export interface Scheduler {
  /** Milliseconds on a monotonic-enough clock (only differences are used). */
  now(): number;
  /** Runs `fn` once after `delayMs`; disposing the result cancels it. */
  schedule(delayMs: number, fn: () => void): Disposable;
}

/** The real one: performance.now and setTimeout; timers are unref'd so a pending flush never keeps Node alive. */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  schedule(delayMs, fn) {
    const handle = setTimeout(fn, delayMs);
    (handle as { unref?: () => void }).unref?.();
    return { dispose: () => clearTimeout(handle) };
  },
};

/** A scheduler whose clock moves only when told to, for tests (and for replays that should not wait). */
export class ManualScheduler implements Scheduler {
  private time = 0;
  private queue: { at: number; fn: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, fn: () => void): Disposable {
    const entry = { at: this.time + Math.max(0, delayMs), fn, cancelled: false };
    this.queue.push(entry);
    return { dispose: () => (entry.cancelled = true) };
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.queue.filter(e => !e.cancelled).length;
  }

  /** Moves the clock forward, running every timer that falls due, in time order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.queue.filter(e => !e.cancelled && e.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      due.cancelled = true;
      this.queue = this.queue.filter(e => !e.cancelled);
      due.fn();
    }
    this.time = until;
  }
}
