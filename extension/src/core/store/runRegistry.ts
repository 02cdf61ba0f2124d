// The runs: which run a new trace joins (docs/store.md, "Runs"), and the lookups by id. A row names its run by
// id (spanTable.ts W_RUN).
import type { Resource } from '../model/span';
import type { IngestOrigin } from './ingestOrigin';
import { Run } from './run';
import { resourceIdentity } from './runIdentity';

/** A new trace looks at most this many of the latest runs of its identity. */
const RECENT_RUNS = 8;

export class RunRegistry {
  /** Oldest first. */
  private list: Run[] = [];
  private byId = new Map<number, Run>();
  private byIdentity = new Map<string, Run[]>();
  private nextId = 1;
  private lastIdentity: { resource: Resource | undefined; session: string | undefined; identity: string } = { resource: undefined, session: undefined, identity: '' };

  constructor(
    private readonly runGapMs: number,
    private readonly onCreate: (run: Run) => void,
  ) {}

  get size(): number {
    return this.list.length;
  }

  get(id: number): Run | undefined {
    return this.byId.get(id);
  }

  /** Whether the run is stored (not evicted or cleared). */
  has(run: Run): boolean {
    return this.byId.get(run.id) === run;
  }

  oldestFirst(): readonly Run[] {
    return this.list;
  }

  newestFirst(): Run[] {
    return [...this.list].reverse();
  }

  /** The run a new trace joins: the latest of its identity that it fits in time, else a new one. */
  assign(resource: Resource, startMs: number, endMs: number, origin: IngestOrigin, now: number): Run {
    // Flat msgflux traffic makes every span a new trace: the identity of a batch's resource and session is
    // built once, not per span (a long string built and hashed per span cost about 1 µs).
    let identity: string;
    if (resource === this.lastIdentity.resource && origin.debugSessionId === this.lastIdentity.session) identity = this.lastIdentity.identity;
    else {
      identity = `${resourceIdentity(resource)}\u0002${origin.debugSessionId ?? ''}`;
      this.lastIdentity = { resource, session: origin.debugSessionId, identity };
    }
    let same = this.byIdentity.get(identity);
    if (same !== undefined) {
      for (let i = same.length - 1; i >= 0 && i >= same.length - RECENT_RUNS; i--) {
        const r = same[i]!;
        if (origin.debugSessionId !== undefined || r.spanCount === 0) return r;
        if (startMs <= r.endMs + this.runGapMs && endMs >= r.startMs - this.runGapMs) return r;
      }
    } else {
      same = [];
      this.byIdentity.set(identity, same);
    }
    const run = new Run(this.nextId++, identity, resource, origin, now);
    same.push(run);
    this.list.push(run);
    this.byId.set(run.id, run);
    this.onCreate(run);
    return run;
  }

  /** Forgets a run; false when it was not stored. */
  remove(run: Run): boolean {
    const i = this.list.indexOf(run);
    if (i < 0) return false;
    this.list.splice(i, 1);
    this.byId.delete(run.id);
    const same = this.byIdentity.get(run.identity);
    if (same) {
      same.splice(same.indexOf(run), 1);
      if (same.length === 0) this.byIdentity.delete(run.identity);
    }
    return true;
  }

  /** Forgets every run (ids keep counting up) and returns them. */
  clear(): Run[] {
    const all = this.list;
    this.list = [];
    this.byId = new Map();
    this.byIdentity = new Map();
    return all;
  }
}
