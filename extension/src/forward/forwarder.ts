// The tee: every request the receiver acknowledged is sent upstream as it is (the protobuf bytes, never
// encoded again), one at a time and in order, from a queue bounded in bytes. Local ingest only calls
// enqueue(), which is O(1) and never waits: the sending happens afterwards, on later turns of the event loop.
// What the bound drops, what the upstream refuses and what is given up after retrying is counted and logged
// (docs/forward.md): nothing is dropped silently.
import { Emitter, type Event } from '../core/common/event';
import { BufferPool } from './bufferPool';
import { type ForwardOptions, type ForwardTarget, MiB, type ResolvedForwardOptions, resolveForwardOptions } from './forwardOptions';
import { createGrpcTransport } from './grpcTransport';
import { createHttpTransport } from './httpTransport';
import { type QueuedRequest, RequestQueue } from './requestQueue';
import { type ForwardTransport, type SendOutcome, backoffDelay } from './retryPolicy';

/** healthy: the last attempt was accepted (or none was made); retrying: the upstream failed lately and is tried again; failing: it has failed for a while, or refused a request for good. */
export type ForwardState = 'healthy' | 'retrying' | 'failing';

export interface RequestCount {
  readonly requests: number;
  readonly spans: number;
}

export interface ForwardStats {
  readonly state: ForwardState;
  /** The endpoint as it may be shown (no password). */
  readonly endpoint: string;
  readonly protocol: ResolvedForwardOptions['protocol'];
  /** Waiting, and the one being sent. */
  readonly queued: RequestCount & { readonly bytes: number };
  readonly maxQueueBytes: number;
  /** Accepted by the upstream. */
  readonly sent: RequestCount;
  /** Attempts that failed and were tried again. */
  readonly retries: number;
  /** Left out by the queue bound (oldest first), or still queued when the forwarder stopped. */
  readonly dropped: RequestCount;
  /** Refused by the upstream for good (400, PERMISSION_DENIED, ...) or given up after retrying for maxElapsedMs. */
  readonly failed: RequestCount;
  /** Spans the upstream accepted the request of but rejected itself (partial success). */
  readonly rejectedSpans: number;
  /** The last error, '' when none. */
  readonly lastError: string;
}

/** A retry-after of 0 (or a bogus one) must not spin: attempts are at least this far apart. */
const MIN_RETRY_MS = 100;
/** The pooled buffers are let go after the queue has been empty this long. */
const POOL_IDLE_MS = 30_000;

type Counter = { requests: number; spans: number };

export class Forwarder {
  private readonly _onDidChangeState = new Emitter<ForwardState>();
  /** Fired when the state changes. */
  readonly onDidChangeState: Event<ForwardState> = this._onDidChangeState.event;
  private readonly _onDidChange = new Emitter<void>();
  /** Fired when something a status display shows changes: the state, a drop, a failure, the queue emptied. */
  readonly onDidChange: Event<void> = this._onDidChange.event;

  private o: ResolvedForwardOptions;
  private transport: ForwardTransport;
  private readonly queue = new RequestQueue();
  private readonly pool: BufferPool;
  private poolTimer: ReturnType<typeof setTimeout> | undefined;
  /** The request being sent or waiting for its next attempt; not in the queue, but counted against its bound. */
  private current: QueuedRequest | undefined;
  private attempts = 0;
  private currentSince = 0;
  /** When the upstream started failing (the first failed attempt since the last accepted one); 0 while it works. */
  private troubleSince = 0;
  private pumping = false;
  private inFlight: Promise<SendOutcome> | undefined;
  private wake: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private disposed = false;
  private _state: ForwardState = 'healthy';
  private readonly sent: Counter = { requests: 0, spans: 0 };
  private readonly dropped: Counter = { requests: 0, spans: 0 };
  private readonly failed: Counter = { requests: 0, spans: 0 };
  private retries = 0;
  private rejectedSpans = 0;
  private lastError = '';
  private readonly dropLog: LogThrottle;
  private readonly refusedLog: LogThrottle;
  private readonly partialLog: LogThrottle;

  /** Throws ForwardConfigError for an endpoint, protocol or header that cannot work. */
  constructor(options: ForwardOptions) {
    this.o = resolveForwardOptions(options);
    this.transport = createTransport(this.o.target, this.o);
    this.pool = new BufferPool(this.o.maxQueueBytes);
    const log = () => this.o.logger;
    const where = () => this.o.target.display;
    this.dropLog = new LogThrottle(() => this.o.logEveryMs, (n, first) =>
      log().warn(
        first
          ? `forward: the queue for ${where()} is full (${formatMiB(this.o.maxQueueBytes)}): dropped ${describeCount(n)}, the oldest waiting; ${n.detail}`
          : `forward: dropped ${describeCount(n)} more for ${where()} (queue full, ${formatMiB(this.o.maxQueueBytes)}); ${this.dropped.requests} requests (${this.dropped.spans} spans) in all`,
      ),
    );
    this.refusedLog = new LogThrottle(() => this.o.logEveryMs, (n, first) =>
      log().error(first ? `forward: ${where()} did not take ${describeCount(n)}: ${n.detail}` : `forward: ${where()} did not take ${describeCount(n)} more; last: ${n.detail}`),
    );
    this.partialLog = new LogThrottle(() => this.o.logEveryMs, (n, first) =>
      log().warn(`forward: ${where()} accepted ${first ? '' : 'more '}requests but rejected ${n.spans} of their spans: ${n.detail}`),
    );
  }

  get state(): ForwardState {
    return this._state;
  }

  get options(): ResolvedForwardOptions {
    return this.o;
  }

  /**
   * Queues an acknowledged request: its protobuf bytes are copied (into reused memory, bufferPool.ts), so the
   * caller's buffer is free again at once. O(1) in requests and never waits; over the bound the oldest waiting
   * requests are dropped and counted.
   */
  enqueue(body: Uint8Array, spans: number): void {
    if (this.disposed) {
      this.drop(1, spans, 'the forwarder was stopped');
      return;
    }
    const inFlight = this.current?.body.byteLength ?? 0;
    if (this.queue.bytes + inFlight + body.byteLength > this.o.maxQueueBytes && !this.makeRoom(body.byteLength)) {
      this.drop(1, spans, `a request of ${formatMiB(body.byteLength)} does not fit`);
      return;
    }
    const backing = this.pool.take(body.byteLength);
    backing.set(body);
    this.queue.push({ body: backing.subarray(0, body.byteLength), spans, backing });
    if (!this.pumping) {
      this.pumping = true;
      // After this turn: the receiver answers its sender first.
      setImmediate(() => void this.pump());
    }
  }

  /**
   * Points the forwarder elsewhere (endpoint, protocol, headers) or changes its limits, keeping what is queued:
   * fixing a wrong URL or token delivers what waited. The request waiting for a retry is tried again at once.
   * Throws ForwardConfigError and changes nothing when the new options cannot work.
   */
  configure(options: ForwardOptions): void {
    const next = resolveForwardOptions(options);
    if (this.disposed) return;
    const before = this.o;
    this.o = next;
    if (sameTarget(before, next)) {
      // Same upstream: nothing to reconnect.
    } else {
      const old = this.transport;
      this.transport = createTransport(next.target, next);
      // An attempt in flight finishes on the old connection (its outcome still counts), which closes after it.
      if (this.inFlight) void this.inFlight.then(() => old.close());
      else old.close();
      this.attempts = 0;
      this.currentSince = Date.now();
      this.troubleSince = 0;
      this.wake?.();
    }
    this.pool.setMaxFreeBytes(next.maxQueueBytes);
    const inFlight = this.current?.body.byteLength ?? 0;
    if (this.queue.bytes + inFlight > next.maxQueueBytes) this.makeRoom(0);
  }

  stats(): ForwardStats {
    const c = this.current;
    return {
      state: this._state,
      endpoint: this.o.target.display,
      protocol: this.o.protocol,
      queued: { requests: this.queue.length + (c ? 1 : 0), spans: this.queue.spans + (c?.spans ?? 0), bytes: this.queue.bytes + (c?.body.byteLength ?? 0) },
      maxQueueBytes: this.o.maxQueueBytes,
      sent: { ...this.sent },
      retries: this.retries,
      dropped: { ...this.dropped },
      failed: { ...this.failed },
      rejectedSpans: this.rejectedSpans,
      lastError: this.lastError,
    };
  }

  /**
   * Resolves true once everything queued has been sent (or failed for good), false if `timeoutMs` passed
   * first. A request waiting for its retry is tried again now: this is what an exit waits for.
   */
  flush(timeoutMs: number): Promise<boolean> {
    if (this.idle) return Promise.resolve(true);
    this.wake?.();
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        resolve(this.idle);
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter(w => w !== done);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.push(done);
    });
  }

  /** Stops: what is still queued is counted as dropped and logged; connections are closed. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const left = this.queue.clear();
    const c = this.current;
    this.current = undefined;
    const requests = left.requests + (c ? 1 : 0);
    const spans = left.spans + (c?.spans ?? 0);
    if (requests) {
      this.dropped.requests += requests;
      this.dropped.spans += spans;
      this.o.logger.warn(`forward: stopped with ${describeCount({ requests, spans })} not forwarded to ${this.o.target.display}`);
    }
    this.wake?.();
    this.transport.close();
    if (this.poolTimer) clearTimeout(this.poolTimer);
    this.pool.clear();
    for (const t of [this.dropLog, this.refusedLog, this.partialLog]) t.dispose();
    this.settleIdleWaiters();
    this._onDidChange.fire();
    this._onDidChangeState.dispose();
    this._onDidChange.dispose();
  }

  private get idle(): boolean {
    return !this.current && this.queue.length === 0;
  }

  /** Drops the oldest waiting requests until `incoming` more bytes fit; false if they cannot (the rest is too big). */
  private makeRoom(incoming: number): boolean {
    const max = this.o.maxQueueBytes;
    const inFlight = this.current?.body.byteLength ?? 0;
    if (inFlight + incoming > max) return false;
    let requests = 0;
    let spans = 0;
    while (this.queue.bytes + inFlight + incoming > max) {
      const oldest = this.queue.shift()!;
      requests++;
      spans += oldest.spans;
      this.release(oldest);
    }
    if (requests) this.drop(requests, spans, this._state === 'healthy' ? 'the upstream takes requests more slowly than they arrive' : `the upstream is ${this._state}: ${this.lastError}`);
    return true;
  }

  private drop(requests: number, spans: number, detail: string): void {
    this.dropped.requests += requests;
    this.dropped.spans += spans;
    this.dropLog.note(requests, spans, detail);
    this._onDidChange.fire();
  }

  private async pump(): Promise<void> {
    try {
      await this.sendAll();
    } catch (err) {
      // A bug must not leave the loop marked as running with nothing running: say so; the next request restarts it.
      this.o.logger.error(`forward: the send loop failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.pumping = false;
    this.settleIdleWaiters();
    this._onDidChange.fire();
    if (this.poolTimer) clearTimeout(this.poolTimer);
    this.poolTimer = setTimeout(() => this.idle && this.pool.clear(), POOL_IDLE_MS);
    this.poolTimer.unref();
  }

  private async sendAll(): Promise<void> {
    while (!this.disposed) {
      if (!this.current) {
        this.current = this.queue.shift();
        if (!this.current) return;
        this.attempts = 0;
        this.currentSince = Date.now();
      }
      const request = this.current;
      const transport = this.transport;
      const sending = (this.inFlight = transport.send(request.body, this.o.timeoutMs));
      const outcome = await sending;
      this.inFlight = undefined;
      // Stopped meanwhile: the request was counted as dropped already.
      if (this.disposed || this.current !== request) continue;
      // configure() changed the upstream during the attempt: the old one's "no" says nothing about the new one.
      if (outcome.kind !== 'ok' && transport !== this.transport) continue;
      this.attempts++;
      if (outcome.kind === 'ok') this.delivered(request, outcome.rejectedSpans, outcome.message);
      else if (outcome.kind === 'fail') this.refused(request, outcome.error);
      else await this.retryLater(request, outcome.error, outcome.afterMs);
    }
  }

  /** A request left the forwarder (sent, failed, dropped): its memory serves the next one. */
  private release(request: QueuedRequest): void {
    if (request.backing) this.pool.give(request.backing);
  }

  private delivered(request: QueuedRequest, rejectedSpans: number, message: string): void {
    this.current = undefined;
    this.release(request);
    this.sent.requests++;
    this.sent.spans += request.spans;
    if (rejectedSpans || message) {
      this.rejectedSpans += rejectedSpans;
      this.partialLog.note(1, rejectedSpans, message || '(no message)');
    }
    if (this._state !== 'healthy') {
      const since = this.troubleSince ? ` after ${formatSeconds(Date.now() - this.troubleSince)}` : '';
      this.o.logger.info(`forward: ${this.o.target.display} accepts requests again${since}`);
    }
    this.troubleSince = 0;
    this.setState('healthy');
  }

  private refused(request: QueuedRequest, error: string): void {
    this.current = undefined;
    this.release(request);
    this.failed.requests++;
    this.failed.spans += request.spans;
    this.lastError = error;
    this.troubleSince ||= Date.now();
    this.refusedLog.note(1, request.spans, `${error} (not retried)`);
    this.setState('failing');
    this._onDidChange.fire();
  }

  private async retryLater(request: QueuedRequest, error: string, afterMs: number | undefined): Promise<void> {
    const now = Date.now();
    this.lastError = error;
    this.troubleSince ||= now;
    const delay = afterMs === undefined ? backoffDelay(this.attempts, this.o.initialBackoffMs, this.o.maxBackoffMs) : Math.max(MIN_RETRY_MS, afterMs);
    if (now - this.currentSince + delay > this.o.maxElapsedMs) {
      this.current = undefined;
      this.release(request);
      this.failed.requests++;
      this.failed.spans += request.spans;
      this.refusedLog.note(1, request.spans, `${error} (given up after ${this.attempts} attempts in ${formatSeconds(now - this.currentSince)})`);
      this.setState('failing');
      this._onDidChange.fire();
      return;
    }
    this.retries++;
    const failing = now - this.troubleSince >= this.o.failingAfterMs;
    const waitFor = afterMs === undefined ? `retrying in ${formatSeconds(delay)}` : `retrying in ${formatSeconds(delay)} as the upstream asked`;
    const queued = `requests wait in a queue of up to ${formatMiB(this.o.maxQueueBytes)}`;
    if (this._state === 'healthy') this.o.logger.warn(`forward: ${this.o.target.display}: ${error}; ${waitFor}; ${queued}`);
    else if (failing && this._state !== 'failing') {
      this.o.logger.error(`forward: ${this.o.target.display} has failed for ${formatSeconds(now - this.troubleSince)}: ${error}; still ${waitFor}; ${queued}, the oldest are dropped beyond it`);
    }
    this.setState(failing ? 'failing' : 'retrying');
    await this.sleep(delay);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      // Unref'd: a process is kept alive by what it waits for (a signal, a flush), not by a retry.
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
    });
  }

  private setState(state: ForwardState): void {
    if (state === this._state) return;
    this._state = state;
    this._onDidChangeState.fire(state);
    this._onDidChange.fire();
  }

  private settleIdleWaiters(): void {
    if (!this.idle && !this.disposed) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function createTransport(target: ForwardTarget, o: ResolvedForwardOptions): ForwardTransport {
  if (target.protocol === 'http/protobuf') return createHttpTransport(target.url, o.headers);
  return createGrpcTransport({ address: target.address, tls: target.tls, headers: o.headers, maxReconnectMs: o.maxBackoffMs });
}

function sameTarget(a: ResolvedForwardOptions, b: ResolvedForwardOptions): boolean {
  return a.protocol === b.protocol && a.endpoint.trim() === b.endpoint.trim() && JSON.stringify(a.headers) === JSON.stringify(b.headers);
}

export function describeCount(n: RequestCount): string {
  return `${n.requests} request${n.requests === 1 ? '' : 's'} (${n.spans} span${n.spans === 1 ? '' : 's'})`;
}

export function formatMiB(bytes: number): string {
  const mib = bytes / MiB;
  return mib >= 10 || Number.isInteger(mib) ? `${Math.round(mib)} MiB` : `${mib.toFixed(mib >= 1 ? 1 : 2)} MiB`;
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** One line for the end of a CLI run or a log: where, what was sent, and everything that was not. */
export function describeForwardStats(s: ForwardStats): string {
  const parts = [`sent ${describeCount(s.sent)} to ${s.endpoint}`];
  if (s.retries) parts.push(`${s.retries} retries`);
  if (s.dropped.requests) parts.push(`dropped ${describeCount(s.dropped)}`);
  if (s.failed.requests) parts.push(`failed ${describeCount(s.failed)}`);
  if (s.rejectedSpans) parts.push(`${s.rejectedSpans} spans rejected by the upstream`);
  if (s.lastError && s.state !== 'healthy') parts.push(`last error: ${s.lastError}`);
  return `forward: ${parts.join('; ')}`;
}

/**
 * The first event of a kind is logged at once; later ones are summed and logged at most once per interval, so a
 * flood of drops costs a counter each, not a log line each.
 */
class LogThrottle {
  private pending = { requests: 0, spans: 0, detail: '' };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly everyMs: () => number,
    private readonly write: (n: { requests: number; spans: number; detail: string }, first: boolean) => void,
  ) {}

  note(requests: number, spans: number, detail: string): void {
    if (!this.timer) {
      this.write({ requests, spans, detail }, true);
      this.arm();
      return;
    }
    this.pending.requests += requests;
    this.pending.spans += spans;
    this.pending.detail = detail;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.tick(false);
  }

  private arm(): void {
    this.timer = setTimeout(() => this.tick(true), this.everyMs());
    this.timer.unref();
  }

  private tick(rearm: boolean): void {
    this.timer = undefined;
    if (!this.pending.requests && !this.pending.spans) return;
    this.write(this.pending, false);
    this.pending = { requests: 0, spans: 0, detail: '' };
    if (rearm) this.arm();
  }
}
