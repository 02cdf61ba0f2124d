// Which run "Compare with Previous Run" compares a run with (docs/compare.md, "Which runs"): the newest run
// older than it that has the same key, where the key is what the user sees as "the same program" (in VS Code
// the debug session's launch configuration name, else the service name). Empty runs are skipped: there is
// nothing to compare with.
import type { Run } from '../store/run';

/** `runs` newest first, as TraceStore.runs() gives them. */
export function previousRunOf(runs: readonly Run[], run: Run, keyOf: (run: Run) => string): Run | undefined {
  const key = keyOf(run);
  for (const other of runs) {
    if (other.id < run.id && other.spanCount > 0 && keyOf(other) === key) return other;
  }
  return undefined;
}
