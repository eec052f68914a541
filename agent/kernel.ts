// The kernel adapter: observes with `ip -j` and applies a pass's changes
// with `ip -batch`. A full observation (six `ip -j` reads) is kept and
// updated with the changes the agent applies, so a pass that follows a
// router message costs a diff and one batch, not a re-read of tens of
// thousands of routes; the kernel is read again after a failure, on
// invalidate() (periodic resync, gRPC registrations: the CNI plugin changes
// links), at start, and when `ip monitor` shows a change the kept observation
// does not account for (drift(): someone else changed the agent's objects).
import { performance } from 'node:perf_hooks';
import { type Observable, Subject, defer, filter, map, merge, retry, timer } from 'rxjs';
import { type BackoffOptions, backoffDelay } from '../lib/backoff.js';
import { ipMonitor } from '../lib/ip-monitor.js';
import { CommandError, type IpRoute2, ipRoute2, run } from '../lib/iproute.js';
import type { Logger } from '../lib/log.js';
import { type Action, INET6_PREFIX, applyActions, formatAction } from './diff.js';
import { type KernelEvent, isDrift, parseMonitorLine } from './kernel-events.js';
import { DEFAULT_OWNERSHIP, type IpJsonOutput, type ObservedKernel, type Ownership, parseObserved } from './kernel-state.js';

export interface KernelOptions {
  /** Network namespace (`ip -n`); default: the agent's own. */
  netns?: string;
  ownership?: Ownership;
}

export interface DriftOptions {
  /** Device of the seg6 nexthops: its link events matter. */
  encapDevice: string;
  logger: Logger;
  /** Restart delays of a monitor that died; reset once one has run for a minute. */
  backoff?: Partial<BackoffOptions>;
}

/** Why the kept observation was dropped: the monitor (re)started, lost events, or a change it does not account for. */
export interface Drift {
  cause: 'monitor-started' | 'events-lost' | 'change';
  detail: string;
}

/** What `ip monitor` watches: the agent's routes, nexthops and the links they use. */
const MONITOR_OBJECTS = ['route', 'nexthop', 'link'];
/** A monitor that ran this long before dying starts the backoff again from its first step. */
const MONITOR_STABLE_MS = 60_000;

/** The `ip -j` reads of one observation, in IpJsonOutput order. */
export const OBSERVE_ARGS = {
  routes4: ['-N', '-4', 'route', 'show', 'table', 'all'],
  routes6: ['-N', '-6', 'route', 'show', 'table', 'all'],
  nexthops4: ['-4', 'nexthop', 'show'],
  nexthops6: ['-6', 'nexthop', 'show'],
  proxies: ['neigh', 'show', 'proxy'],
  links: ['-d', 'link', 'show'],
} as const satisfies Record<keyof IpJsonOutput, readonly string[]>;

export class BatchError extends Error {
  override name = 'BatchError';
  constructor(
    message: string,
    /** The failing line, when ip named it. */
    readonly line: string | undefined,
    /** Its index in the batch: the lines before it were applied. */
    readonly lineIndex: number | undefined,
    /** Out of memory and the like: the kernel is as the lines before say. */
    readonly transient = false,
  ) {
    super(message);
  }
}

export class Kernel {
  private readonly ip: IpRoute2;
  private readonly netnsArgs: string[];
  private readonly ownership: Ownership;
  private readonly netns: string | undefined;
  private cache: ObservedKernel | undefined;
  /** Bumped by invalidate(): a read that started before must not be kept. */
  private generation = 0;
  private reading: Promise<{ observed: ObservedKernel; at: Date }> | undefined;
  /** Reads into the cache and applies under way: kernel events wait until they end. */
  private busy = 0;
  private deferred: KernelEvent[] = [];
  private readonly deferredDrift = new Subject<Drift>();
  private driftCheck: ((event: KernelEvent) => boolean) | undefined;
  /** Count of full reads, for tests and metrics. */
  fullReads = 0;
  /** Time the last apply() spent in ip processes. */
  lastBatchMs = 0;

  constructor(options: KernelOptions = {}) {
    this.netns = options.netns;
    this.ip = ipRoute2(options.netns ? { netns: options.netns } : {});
    this.netnsArgs = options.netns ? ['-n', options.netns] : [];
    this.ownership = options.ownership ?? DEFAULT_OWNERSHIP;
  }

  /** Reads everything the agent looks at from the kernel. */
  async read(): Promise<ObservedKernel> {
    const entries = await Promise.all(Object.entries(OBSERVE_ARGS).map(async ([name, args]) => [name, await this.ip.json([...args])] as const));
    this.fullReads++;
    return parseObserved(Object.fromEntries(entries) as unknown as IpJsonOutput, this.ownership);
  }

  /**
   * A read of the kernel for reporting (/state), not kept: what the kernel
   * holds now, with the time it was read. Concurrent callers share one read.
   */
  snapshot(): Promise<{ observed: ObservedKernel; at: Date }> {
    this.reading ??= this.read()
      .then((observed) => ({ observed, at: new Date() }))
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  /** The kept observation, or a fresh read when there is none. */
  async observe(): Promise<ObservedKernel> {
    if (this.cache) return this.cache;
    const generation = this.generation;
    this.busy++;
    try {
      const observed = await this.read();
      if (generation === this.generation) this.cache = observed;
      return observed;
    } finally {
      this.idle();
    }
  }

  /** The next observe() reads the kernel. */
  invalidate(): void {
    this.cache = undefined;
    this.generation++;
  }

  /**
   * Supervised `ip monitor` (restarted with backoff when it dies): emits why,
   * having invalidated the kept observation, whenever the kernel
   * changed in a way it does not account for: an object of the agent's
   * removed or changed by hand, a Galactic link changed, the monitor
   * (re)started or events lost. The echoes of the agent's own batches are
   * not drift: events that arrive while a read or a batch is under way are
   * judged once it is done, against the observation it left.
   */
  drift(options: DriftOptions): Observable<Drift> {
    const { logger } = options;
    const check = (event: KernelEvent): boolean => isDrift(event, this.cache, this.ownership, options.encapDevice);
    this.driftCheck = check;
    let attempts = 0;
    let startedAt = 0;
    const monitor$ = defer(() => ipMonitor(MONITOR_OBJECTS, this.netns ? { netns: this.netns } : {})).pipe(
      retry({
        delay: (error: unknown) => {
          attempts = performance.now() - startedAt > MONITOR_STABLE_MS ? 1 : attempts + 1;
          const retryInMs = backoffDelay(attempts, options.backoff);
          logger.warn('ip monitor stopped; restarting it (the periodic resync still repairs drift)', { error, retryInMs });
          return timer(retryInMs);
        },
      }),
      map((event): Drift | undefined => {
        switch (event.kind) {
          case 'started':
            startedAt = performance.now();
            this.invalidate();
            return { cause: 'monitor-started', detail: `pid ${event.pid}` };
          case 'lost':
            this.invalidate();
            return { cause: 'events-lost', detail: event.detail };
          case 'line': {
            const parsed = parseMonitorLine(event.line);
            if (!parsed) return undefined;
            if (this.busy > 0) {
              this.deferred.push(parsed);
              return undefined;
            }
            if (!check(parsed)) return undefined;
            this.invalidate();
            return { cause: 'change', detail: event.line };
          }
        }
      }),
      filter((drift): drift is Drift => drift !== undefined),
    );
    return merge(monitor$, this.deferredDrift);
  }

  /** After a read or batch: the events that arrived meanwhile, judged against what it left. */
  private idle(): void {
    this.busy--;
    if (this.busy > 0 || this.deferred.length === 0) return;
    const events = this.deferred;
    this.deferred = [];
    const drifted = this.driftCheck && events.find(this.driftCheck);
    if (!drifted) return;
    this.invalidate();
    this.deferredDrift.next({ cause: 'change', detail: `a ${drifted.kind} changed during a read or batch` });
  }

  /**
   * Applies the actions in order. IPv6 nexthop creations need `ip -6` (a
   * batch line cannot carry the family): the diff puts all creations first,
   * so they go in an `ip -6 -batch` ahead of the rest, order preserved.
   *
   * `ip -batch` stops at the first failing line, so everything before it was
   * done. After a transient failure (the kernel out of atomic memory, seen
   * when tens of thousands of seg6 states are created at once on a busy
   * host), the kept observation takes those changes and stays: the retry
   * continues where the batch stopped without reading the kernel again.
   * Any other failure means the observation may be wrong: the next pass
   * reads the kernel.
   */
  async apply(actions: readonly Action[]): Promise<void> {
    if (actions.length === 0) return;
    const observed = this.cache;
    const inet6: Action[] = [];
    const rest: Action[] = [];
    const inet6Lines: string[] = [];
    const restLines: string[] = [];
    for (const action of actions) {
      const line = formatAction(action, this.ownership);
      if (line.startsWith(INET6_PREFIX)) {
        inet6.push(action);
        inet6Lines.push(line.slice(INET6_PREFIX.length));
      } else {
        rest.push(action);
        restLines.push(line);
      }
    }
    let done: Action[] = [];
    const started = performance.now();
    let succeeded = false;
    this.busy++;
    try {
      await this.batch(['-6'], inet6Lines);
      done = inet6;
      await this.batch([], restLines);
      done = actions as Action[];
      succeeded = true;
    } catch (error) {
      if (error instanceof BatchError && error.transient && error.lineIndex !== undefined && observed && this.cache === observed) {
        const list = done === inet6 ? rest : inet6;
        applyActions(observed, [...done, ...list.slice(0, error.lineIndex)], this.ownership);
      } else {
        this.invalidate();
      }
      throw error;
    } finally {
      this.lastBatchMs = performance.now() - started;
      if (succeeded && observed && this.cache === observed) applyActions(observed, actions, this.ownership);
      this.idle();
    }
  }

  private async batch(options: string[], lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    try {
      await run(['ip', ...this.netnsArgs, ...options, '-batch', '-'], { input: `${lines.join('\n')}\n` });
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      const match = /Command failed -:(\d+)/.exec(error.stderr);
      const index = match ? Number(match[1]) - 1 : undefined;
      const line = index === undefined ? undefined : lines[index];
      const reason = error.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Command failed')).join('; ');
      throw new BatchError(`ip ${[...options, '-batch'].join(' ')} failed${line ? ` at "${line}"` : ''}: ${reason || error.message}`, line, index, TRANSIENT.test(reason));
    }
  }
}

/** Failures that say nothing about the kernel's state: retry where the batch stopped. */
const TRANSIENT = /Cannot allocate memory|No buffer space available/;
