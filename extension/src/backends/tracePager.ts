// The recent traces of one service, a page at a time, newest first, within a time window fixed when the list was
// first asked for. Search APIs have no offsets, so the next page asks for traces that started before the oldest
// one listed (a time cursor); traces that share that instant are asked again and dropped as repeats. A page that
// brings only repeats (many traces in one instant, or Tempo's whole-second window) moves the cursor further back.
import type { BackendClient, TraceSummary } from './backendClient';

/** Tries per page when pages bring only traces already listed. */
const ATTEMPTS = 3;
/** How far back the cursor jumps when a full page brought nothing new: Tempo's window is in whole seconds. */
const STEP_US = 1_000_000;

export class TracePager {
  private readonly seen = new Set<string>();
  private readonly list: TraceSummary[] = [];
  private cursorUs: number;
  /** Traces listed that started at cursorUs - 1 (the oldest instant listed): the next page asks for them again. */
  private atCursor = 0;
  private more = true;

  constructor(
    private readonly client: BackendClient,
    readonly service: string,
    /** The window: traces that started in [startUs, endUs). */
    readonly startUs: number,
    readonly endUs: number,
    private readonly pageSize: number,
  ) {
    this.cursorUs = endUs;
  }

  /** Every trace listed so far, newest first. */
  get traces(): readonly TraceSummary[] {
    return this.list;
  }

  /** Whether another page may hold older traces. */
  get hasMore(): boolean {
    return this.more;
  }

  /** Fetches the next page; resolves to the traces it added (possibly none, then hasMore is false). */
  async next(signal?: AbortSignal): Promise<TraceSummary[]> {
    const added: TraceSummary[] = [];
    for (let attempt = 0; attempt < ATTEMPTS && this.more && added.length === 0; attempt++) {
      if (this.cursorUs <= this.startUs) {
        this.more = false;
        break;
      }
      const limit = this.pageSize + this.atCursor;
      const page = await this.client.search({ service: this.service, startUs: this.startUs, endUs: this.cursorUs, limit }, signal);
      for (const t of page.traces) {
        if (this.seen.has(t.traceId)) continue;
        this.seen.add(t.traceId);
        added.push(t);
      }
      if (page.traces.length === 0 || !page.full) {
        this.more = false;
        break;
      }
      const oldest = Math.min(...page.traces.map(t => t.startUs));
      if (added.length > 0) {
        // Traces in the oldest one's instant may not all have fit: the next page asks up to and including that
        // instant again, with room for the ones already listed there.
        this.cursorUs = Math.min(this.cursorUs, oldest + 1);
        this.atCursor = this.list.filter(t => t.startUs === oldest).length + added.filter(t => t.startUs === oldest).length;
      } else {
        // A full page of repeats: skip past that instant (Tempo: past that second).
        this.cursorUs = Math.min(this.cursorUs - 1, attempt === 0 ? oldest : oldest - STEP_US);
        this.atCursor = 0;
      }
    }
    if (added.length === 0) this.more = false;
    this.list.push(...added);
    this.list.sort((a, b) => b.startUs - a.startUs);
    return added;
  }
}
