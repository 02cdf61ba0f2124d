// What a page calls runs: the label of a run (the host's name for it and its root span) and the list the run
// pickers offer. The timeline and the comparison share it, so a run is named the same in both.
import type { Run } from '../core/store/run';
import type { TraceStore } from '../core/store/traceStore';
import type { RunSummary } from '../protocol/timelineProtocol';

/** What the host calls a run (its debug session's name); undefined: the service. */
export type RunName = (run: Run) => string | undefined;

/** Runs listed in a picker: the newest ones. */
export const MAX_LISTED_RUNS = 50;

export function runLabel(store: TraceStore, run: Run, runName?: RunName): string {
  const first = store.children(run, 0, 1)[0];
  const root = first === undefined ? '' : store.rows.name(first);
  const name = runName?.(run) ?? (run.serviceName || 'unknown service');
  return root ? `${name} · ${root}` : name;
}

/** Unix ms the run's row times are relative to (its first span's start, to the nanosecond). */
export function runOriginMs(run: Run): number {
  return run.startMs + run.startSubMsNanos / 1e6;
}

/** The newest runs as the pickers list them. */
export function listRuns(store: TraceStore, runName?: RunName): RunSummary[] {
  return store
    .runs()
    .slice(0, MAX_LISTED_RUNS)
    .map(r => ({
      id: r.id,
      label: runLabel(store, r, runName),
      spanCount: r.spanCount,
      errorCount: r.errorCount,
      receiving: store.isReceiving(r),
      startMs: Number.isFinite(r.startMs) ? r.startMs : 0,
    }));
}
