// A keyed work queue for level-triggered controllers: events only name a key,
// the handler reads the current state for it. Guarantees:
// - one handler run per key at a time; a key added while it runs runs once more after;
// - dedupe: a key waiting in the queue is not queued twice;
// - a failing key is retried with exponential backoff (lib/backoff), others go on;
// - a handler may ask to look again later (requeueAfterMs);
// - an optional periodic resync re-adds every key, so a missed event is repaired.
// Results are published on `results$` (metrics, logs, tests).
import { Subject } from 'rxjs';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import type { Logger } from './log.js';

export interface WorkResult {
  /** Look at the key again after this long (e.g. waiting for a dependency). */
  requeueAfterMs?: number;
}

export interface WorkItemResult {
  queue: string;
  key: string;
  ok: boolean;
  error?: unknown;
  durationMs: number;
  /** Consecutive failures of this key before this run. */
  failuresBefore: number;
  /** When the key runs again on its own (retry or requested requeue), if at all. */
  nextInMs?: number;
}

export interface WorkQueueOptions {
  name: string;
  process: (key: string) => Promise<WorkResult | void>;
  /** Keys processed in parallel (different keys only). Default 4. */
  concurrency?: number;
  backoff?: Partial<BackoffOptions>;
  /** Every this many ms, `listKeys()` is added (0 or no listKeys: off). */
  resyncIntervalMs?: number;
  listKeys?: () => Iterable<string>;
  logger?: Logger;
}

export interface WorkQueue {
  add(key: string): void;
  /** Adds the key after a delay; an earlier pending delay for the key wins. */
  addAfter(key: string, delayMs: number): void;
  /** Adds every key of listKeys() now. */
  resync(): void;
  /** Keys waiting (not counting delayed ones). */
  readonly depth: number;
  readonly inFlight: number;
  readonly results$: Subject<WorkItemResult>;
  /** Resolves when nothing is queued or running (delayed keys do not count). */
  idle(): Promise<void>;
  /** Stops taking work, cancels delayed keys and resync, waits for running handlers. */
  shutdown(): Promise<void>;
}

export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const queued = new Set<string>(); // waiting, in FIFO order
  const running = new Set<string>();
  const failures = new Map<string, number>();
  const delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  const results$ = new Subject<WorkItemResult>();
  const runningDone = new Set<Promise<void>>();
  let idleWaiters: Array<() => void> = [];
  let stopped = false;

  const notifyIdle = (): void => {
    if (queued.size > 0 || running.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const cancelDelayed = (key: string): void => {
    const pending = delayed.get(key);
    if (pending) clearTimeout(pending.timer);
    delayed.delete(key);
  };

  const add = (key: string): void => {
    if (stopped || queued.has(key)) return;
    queued.add(key);
    dispatch();
  };

  const addAfter = (key: string, delayMs: number): void => {
    if (stopped) return;
    if (delayMs <= 0) return add(key);
    const at = Date.now() + delayMs;
    const pending = delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      delayed.delete(key);
      add(key);
    }, delayMs);
    timer.unref?.();
    delayed.set(key, { at, timer });
  };

  // Starts as many waiting keys as slots allow, skipping keys already running
  // (they stay queued and start when their current run ends).
  function dispatch(): void {
    if (stopped) return;
    for (const key of queued) {
      if (running.size >= concurrency) return;
      if (running.has(key)) continue;
      queued.delete(key);
      start(key);
    }
  }

  function start(key: string): void {
    running.add(key);
    cancelDelayed(key); // this run decides when the key runs next
    const failuresBefore = failures.get(key) ?? 0;
    const started = Date.now();
    const done = (async () => {
      let result: WorkItemResult;
      try {
        const outcome = await options.process(key);
        failures.delete(key);
        const requeue = outcome?.requeueAfterMs;
        if (requeue !== undefined) addAfter(key, requeue);
        result = { queue: options.name, key, ok: true, durationMs: Date.now() - started, failuresBefore, nextInMs: requeue };
      } catch (error) {
        const attempt = failuresBefore + 1;
        failures.set(key, attempt);
        const retryInMs = backoffDelay(attempt, options.backoff);
        addAfter(key, retryInMs);
        options.logger?.warn('work item failed; retrying', { queue: options.name, key, attempt, retryInMs, error });
        result = { queue: options.name, key, ok: false, error, durationMs: Date.now() - started, failuresBefore, nextInMs: retryInMs };
      }
      running.delete(key);
      results$.next(result);
      dispatch();
      notifyIdle();
    })();
    runningDone.add(done);
    void done.finally(() => runningDone.delete(done));
  }

  const resync = (): void => {
    for (const key of options.listKeys?.() ?? []) add(key);
  };
  const resyncTimer =
    options.resyncIntervalMs && options.listKeys ? setInterval(resync, options.resyncIntervalMs) : undefined;
  resyncTimer?.unref?.();

  return {
    add,
    addAfter,
    resync,
    get depth() {
      return queued.size;
    },
    get inFlight() {
      return running.size;
    },
    results$,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notifyIdle();
      }),
    async shutdown() {
      stopped = true;
      if (resyncTimer) clearInterval(resyncTimer);
      for (const key of [...delayed.keys()]) cancelDelayed(key);
      queued.clear();
      await Promise.all([...runningDone]);
      notifyIdle();
      results$.complete();
    },
  };
}
