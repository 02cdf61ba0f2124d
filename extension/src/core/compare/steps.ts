// Long comparison work written once, as a generator that yields between small steps, and run either at once
// (tests, the CLI) or in slices with a turn of the event loop between them, so the extension host keeps
// answering while two 100k-span runs are compared (docs/compare.md, "Cost").

/** A computation that yields (nothing) now and then and returns its result. */
export type Steps<T> = Generator<void, T, void>;

export interface SliceOptions {
  /** Work per slice before the event loop gets a turn (default 8 ms: well under what a host may stall). */
  readonly sliceMs?: number;
  /** Polled between slices; when it returns true the work stops and the result is undefined. */
  readonly isCancelled?: () => boolean;
}

const SLICE_MS = 8;
const yieldToLoop = () => new Promise<void>(resolve => setImmediate(resolve));

/** Runs the steps to the end without yielding to the event loop. */
export function runAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs the steps in slices of about `sliceMs`; undefined when cancelled. */
export async function runInSlices<T>(steps: Steps<T>, options: SliceOptions = {}): Promise<T | undefined> {
  const sliceMs = options.sliceMs ?? SLICE_MS;
  let sliceStart = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    await yieldToLoop();
    if (options.isCancelled?.()) {
      steps.return(undefined as never);
      return undefined;
    }
    sliceStart = performance.now();
  }
}

/**
 * How many units of work (spans, pairs) a step covers: reading the clock once per step, not per span, keeps the
 * generator's cost invisible next to the work.
 */
export const STEP = 2048;
