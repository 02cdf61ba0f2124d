// Runs core's step-wise decoders (generators that yield between slices of work) without holding the event loop for
// long: a 10k-span trace decodes in slices of a few milliseconds, so the extension host stays responsive.

const SLICE_MS = 8;

export async function runSteps<T>(steps: Generator<void, T, void>): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise<void>(resolve => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
