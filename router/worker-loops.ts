// Anti-entropy, router side (proto/remote.proto, "Anti-entropy"): one
// lib/reconcile loop per known worker, like the agent's kernel loop.
//
// - desired$: the registrations and routes the store implies for the worker,
//   as count + digest. They are computed when the worker reports: a report is
//   a snapshot, comparable only with the store at that moment (changes after
//   it travel as incremental routes, and the next report verifies them), and
//   recomputing every affected worker's digest on every registration would
//   cost a store read per worker per change. One read at a time per worker:
//   Summaries that arrive during it are coalesced, only the newest is answered.
// - observe: the worker's last Summary and its age (unknown until it
//   reports), and, once it has been silent for an interval, whether the store
//   still holds anything of it.
// - diff (diffWorker, pure): answer an unanswered Summary (SummaryReply, plus
//   the full RouteSet when the route summaries differ); ask for a Summary when
//   nothing was heard for an interval; forget a silent worker with nothing
//   stored.
// - apply: publish, acknowledged by the broker. A failing publish fails the
//   pass and the loop retries it with backoff: without a new Summary, and
//   without holding up other workers or the message stream; but a RouteSet
//   is never read and sent twice for one Summary (parts of two readings
//   would mix): the worker's next Summary gets a new one. A worker that
//   does not answer is asked again after a delay that doubles per
//   unanswered request (part of the diff), never flooded.
import { BehaviorSubject, filter, interval, Subject, Subscription, take } from 'rxjs';
import { DEFAULT_ANTI_ENTROPY_INTERVAL_S, sameSummary, splitSet } from '../lib/anti-entropy.js';
import type { BackoffOptions } from '../lib/backoff.js';
import type { Logger } from '../lib/log.js';
import { type PassResult, reconcile } from '../lib/reconcile.js';
import type { Message, RouteMessage, SetSummary } from '../proto/remote.js';

/** A worker not heard from for this long is asked for a Summary; agents send one at this interval too. */
export const DEFAULT_ANTI_ENTROPY_INTERVAL_MS = DEFAULT_ANTI_ENTROPY_INTERVAL_S * 1000;
/** How long the first SummaryRequest waits for the worker's Summary before it is asked again; doubled per unanswered request, up to the interval. */
export const DEFAULT_SUMMARY_TIMEOUT_MS = 5_000;

/** What a worker said it holds, and when the router heard it (its clock). */
export interface WorkerReport {
  requestId: string;
  routes: SetSummary;
  at: number;
}

/** What the store implies for a worker, computed for one of its Summaries. */
export interface DesiredState {
  /** The request id of the Summary it was computed for. */
  asOf: string;
  registrations: SetSummary;
  routes: SetSummary;
  /** The worker's applied announcement sequence (router/sequence.ts), echoed in the reply. */
  appliedSequence?: number;
}

export interface WorkerObservation {
  now: number;
  report: WorkerReport | undefined;
  /** Since when the router has gone without a report: the worker's first message, or (-Infinity) the last (re)subscribe. */
  since: number;
  /** The request id of the last Summary answered. */
  answered: string | undefined;
  /** SummaryRequests sent since the last Summary, and when the last one went out. */
  asked: { count: number; at: number } | undefined;
  /** Whether the store holds registrations of the worker (read only once it has been silent for an interval). */
  stored: boolean;
}

export type WorkerAction = 'reply' | 'route-set' | 'ask' | 'forget';

export interface WorkerTiming {
  intervalMs: number;
  summaryTimeoutMs: number;
}

/** The actions that bring a worker in line with the store; empty when there is nothing to do. */
export function diffWorker(desired: DesiredState | undefined, observed: WorkerObservation, timing: WorkerTiming): WorkerAction[] {
  const { report, asked } = observed;
  if (report && report.requestId !== observed.answered && desired?.asOf === report.requestId) {
    return sameSummary(desired.routes, report.routes) ? ['reply'] : ['reply', 'route-set'];
  }
  if (!isSilent(observed, timing.intervalMs)) return [];
  if (!observed.stored) return ['forget'];
  if (asked && observed.now - asked.at < askAgainAfter(asked.count, timing)) return [];
  return ['ask'];
}

/** The wait after `count` unanswered SummaryRequests: the summary timeout, doubling, at most an interval. */
export const askAgainAfter = (count: number, timing: WorkerTiming): number => Math.min(timing.intervalMs, timing.summaryTimeoutMs * 2 ** (count - 1)) - TIMER_SLACK_MS;

/** How often per interval each loop checks for silence. */
const CHECKS_PER_INTERVAL = 4;
/** The loops are checked in this many turns per check, so a thousand silent workers are not asked in one burst. */
const TURNS = 16;
/** After a (re)subscribe every worker is asked within this long, in turns. */
const RESUBSCRIBE_SPREAD_MS = 1_000;

/** Timers may fire a little early against the wall clock: the periodic pass one interval after the last report must find the worker silent. */
const TIMER_SLACK_MS = 100;

const isSilent = (observed: Pick<WorkerObservation, 'now' | 'report' | 'since'>, intervalMs: number): boolean =>
  observed.now - (observed.report?.at ?? observed.since) >= intervalMs - TIMER_SLACK_MS;

/** What the loops read from the store (RouterCore). */
export interface WorkerSource {
  desiredFor(worker: string): Promise<Omit<DesiredState, 'asOf'>>;
  routesFor(worker: string): Promise<RouteMessage[]>;
  hasRegistrations(worker: string): Promise<boolean>;
}

/** A message a worker sent that the router accepted: a Summary carries its report. */
export interface Heard {
  worker: string;
  summary?: { requestId: string; routes: SetSummary };
}

export interface WorkerLoopsOptions {
  source: WorkerSource;
  /** Publishes messages to a worker; resolves once the broker acknowledged them, rejects on failure or timeout. */
  publish: (worker: string, messages: Message[]) => Promise<unknown>;
  /**
   * Runs a store read and the publishing it leads to between two handled
   * messages (router/service.ts): a route set read before a registration was
   * stored must also go out before that registration's routes, or the worker,
   * which replaces its routes with the set, would drop them. Default: at once.
   */
  inTurn?: <T>(work: () => Promise<T>) => Promise<T>;
  intervalMs?: number;
  summaryTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  clock?: () => number;
  /** Counts full route sets sent. */
  onRepair?: () => void;
  logger: Logger;
}

interface WorkerLoop {
  report: WorkerReport | undefined;
  since: number;
  answered: string | undefined;
  /** What the store implies, as of the latest report (undefined before one). */
  desired$: BehaviorSubject<DesiredState | undefined>;
  asked: { count: number; at: number } | undefined;
  /** A store read of what the worker should hold is in progress (one at a time per worker). */
  reading: boolean;
  /** The last pass failed: its retry (with backoff) is scheduled, and the periodic check does not hasten it. */
  failing: boolean;
  /** Which turn of the periodic check is this loop's. */
  turn: number;
  subscription: Subscription;
}

/**
 * The per-worker loops: created when a worker is first heard of (a message,
 * or the store at a (re)subscribe), disposed when it is silent with nothing
 * stored. The periodic check (in turns) and the (re)subscribe signal are
 * shared by all loops, so an idle loop costs a few objects, not a timer of
 * its own.
 */
export class WorkerLoops {
  private readonly loops = new Map<string, WorkerLoop>();
  private readonly intervalMs: number;
  private readonly timing: WorkerTiming;
  private readonly clock: () => number;
  private readonly log: Logger;
  /** A turn of the periodic check (or of the asks after a (re)subscribe): one subject for all loops. */
  private readonly triggers$ = new Subject<number>();
  private readonly tick: Subscription;
  private spread: Subscription = Subscription.EMPTY;
  private started = 0;

  constructor(private readonly options: WorkerLoopsOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_ANTI_ENTROPY_INTERVAL_MS;
    this.timing = { intervalMs: this.intervalMs, summaryTimeoutMs: options.summaryTimeoutMs ?? DEFAULT_SUMMARY_TIMEOUT_MS };
    this.clock = options.clock ?? Date.now;
    this.log = options.logger;
    // A worker silent for an interval is asked within a quarter interval more.
    this.tick = interval(this.intervalMs / CHECKS_PER_INTERVAL / TURNS).subscribe((n) => this.triggers$.next(n % TURNS));
  }

  /** A message from `worker` was accepted; a Summary is its report. */
  heard({ worker, summary }: Heard): void {
    const loop = this.loops.get(worker) ?? this.start(worker, this.clock());
    if (!summary) return;
    loop.report = { ...summary, at: this.clock() };
    loop.asked = undefined;
    this.readDesired(worker, loop);
  }

  /**
   * Reads what the store implies for the worker's latest report. One read at
   * a time per worker: Summaries that arrive during a read are coalesced, and
   * only the newest is read for and answered once it ends (with a slow store,
   * stale Summaries must not queue up reads behind it).
   */
  private readDesired(worker: string, loop: WorkerLoop): void {
    const report = loop.report;
    if (loop.reading || !report) return;
    loop.reading = true;
    this.options.source
      .desiredFor(worker)
      .then(
        // Only for the latest report: the worker has moved on from an older one.
        (desired) => loop.report === report && loop.desired$.next({ ...desired, asOf: report.requestId }),
        // That report goes unanswered: the worker's Summary times out and it sends another.
        (error: unknown) => this.log.warn('reading what a worker should hold failed', { worker, requestId: report.requestId, error }),
      )
      .finally(() => {
        loop.reading = false;
        if (loop.report !== report && this.loops.get(worker) === loop) this.readDesired(worker, loop);
      });
  }

  /**
   * After every (re)subscribe: whatever workers sent before may be lost, so
   * every worker the store knows (and every loop) is asked for a Summary,
   * in turns over a second rather than all in one burst.
   */
  resubscribed(stored: readonly string[]): void {
    for (const loop of this.loops.values()) {
      loop.report = undefined;
      loop.since = Number.NEGATIVE_INFINITY;
      loop.asked = undefined;
    }
    const fresh = stored.filter((worker) => !this.loops.has(worker));
    this.spread.unsubscribe();
    this.spread = interval(RESUBSCRIBE_SPREAD_MS / TURNS)
      .pipe(take(TURNS))
      .subscribe((turn) => {
        for (let i = turn; i < fresh.length; i += TURNS) if (!this.loops.has(fresh[i]!)) this.start(fresh[i]!, Number.NEGATIVE_INFINITY);
        this.triggers$.next(turn);
      });
  }

  get size(): number {
    return this.loops.size;
  }

  stop(): void {
    this.tick.unsubscribe();
    this.spread.unsubscribe();
    for (const worker of [...this.loops.keys()]) this.dispose(worker);
  }

  private start(worker: string, since: number): WorkerLoop {
    const loop: WorkerLoop = { report: undefined, since, answered: undefined, desired$: new BehaviorSubject<DesiredState | undefined>(undefined), asked: undefined, reading: false, failing: false, turn: this.started++ % TURNS, subscription: undefined! };
    this.loops.set(worker, loop);
    loop.subscription = reconcile<DesiredState | undefined, WorkerObservation, WorkerAction>({
      name: worker,
      desired$: loop.desired$,
      observe: () => this.observe(loop, worker),
      diff: (desired, observed) => diffWorker(desired, observed, this.timing),
      apply: (actions, desired, observed) => this.apply(worker, loop, actions, desired, observed),
      triggers$: this.triggers$.pipe(filter((turn) => turn === loop.turn && !loop.failing)),
      // The shared periodic check is the resync.
      resyncIntervalMs: 0,
      backoff: { initialMs: 1_000, maxMs: this.intervalMs, ...this.options.backoff },
    }).subscribe(this.report);
    return loop;
  }

  /** Notes and logs failed passes (publishes to the worker, store reads): the first failure in a row warns, the next ones are debug lines. */
  private readonly report = (result: PassResult<WorkerAction>): void => {
    const loop = this.loops.get(result.name);
    if (loop) loop.failing = !result.ok;
    if (result.ok) return;
    const fields = { worker: result.name, actions: result.actions, attempt: result.failuresBefore + 1, error: result.error };
    if (result.failuresBefore === 0) this.log.warn('anti-entropy for a worker failed; retrying with backoff', fields);
    else this.log.debug('anti-entropy for a worker failed again', fields);
  };

  private async observe(loop: WorkerLoop, worker: string): Promise<WorkerObservation> {
    const observed = { now: this.clock(), report: loop.report, since: loop.since, answered: loop.answered, asked: loop.asked };
    const stored = !isSilent(observed, this.intervalMs) || (await this.options.source.hasRegistrations(worker));
    return { ...observed, stored };
  }

  private async apply(worker: string, loop: WorkerLoop, actions: WorkerAction[], desired: DesiredState | undefined, observed: WorkerObservation): Promise<void> {
    if (actions.includes('forget')) {
      this.log.debug('worker forgotten: silent, nothing stored', { worker });
      this.dispose(worker);
      return;
    }
    if (actions.includes('ask')) {
      await this.options.publish(worker, [{ kind: 'summaryRequest' }]);
      loop.asked = { count: (observed.asked?.count ?? 0) + 1, at: observed.now };
      return;
    }
    if (!desired || !observed.report) return;
    const inTurn = this.options.inTurn ?? ((work) => work());
    // The promise is wrapped so that the turn ends once the messages are queued, not acknowledged.
    const { acknowledged } = await inTurn(async () => {
      const messages: Message[] = [
        { kind: 'summaryReply', requestId: desired.asOf, registrations: desired.registrations, routes: desired.routes, ...(desired.appliedSequence !== undefined ? { appliedSequence: desired.appliedSequence } : {}) },
      ];
      if (actions.includes('route-set')) {
        const parts = splitSet(await this.options.source.routesFor(worker));
        parts.forEach((part, index) =>
          messages.push({
            kind: 'routeSet',
            requestId: desired.asOf,
            part: index,
            parts: parts.length,
            routes: part.map(({ network, srv6Endpoint, srv6Segments }) => ({ network, srv6Endpoint, srv6Segments })),
          }),
        );
      }
      this.log.info('anti-entropy summary', {
        worker,
        requestId: desired.asOf,
        routesDiffer: actions.includes('route-set'),
        routes: desired.routes.count,
        workerRoutes: observed.report!.routes.count,
      });
      return { acknowledged: this.options.publish(worker, messages) };
    });
    try {
      await acknowledged;
    } catch (error) {
      // Parts of the set may have reached the worker: another reading sent
      // under the same request id could complete it with parts of two store
      // states (bench/chaos.ts seed 4: routes lost). The worker's pass fails
      // without a complete set and its next Summary gets a set of its own.
      if (actions.includes('route-set')) loop.answered = desired.asOf;
      throw error;
    }
    if (actions.includes('route-set')) this.options.onRepair?.();
    loop.answered = desired.asOf;
  }

  private dispose(worker: string): void {
    const loop = this.loops.get(worker);
    if (!loop) return;
    this.loops.delete(worker);
    loop.subscription.unsubscribe();
  }
}
