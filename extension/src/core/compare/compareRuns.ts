// One call for a whole comparison (docs/compare.md): align, scan for changes, roll up, summarize, each in
// slices so the extension host stays responsive; undefined when cancelled.
import { alignSteps } from './alignment';
import { scanSteps } from './changeScan';
import type { RunComparison, RunSide } from './comparison';
import { rollUp } from './rollUp';
import { summarySteps } from './runSummary';
import { type SliceOptions, type Steps, runInSlices } from './steps';

export type { RunComparison } from './comparison';

export function compareRuns(a: RunSide, b: RunSide, options?: SliceOptions): Promise<RunComparison | undefined> {
  return runInSlices(compareSteps(a, b), options);
}

export function* compareSteps(a: RunSide, b: RunSide): Steps<RunComparison> {
  const alignment = yield* alignSteps(a, b);
  const changes = yield* scanSteps(alignment);
  yield;
  const up = rollUp(alignment, changes);
  const summary = yield* summarySteps(alignment, changes);
  return { alignment, changes, rollUp: up, summary };
}
