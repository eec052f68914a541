// The reconcile loop every long-running component uses: a stream of desired
// state, an observation of the world, a pure diff, and an apply step that is
// retried with backoff and re-run periodically (resync), so missed events and
// external drift are repaired. Passes never overlap; triggers that arrive
// during a pass coalesce into one more pass.
import { Observable, type SchedulerLike, Subscription, asyncScheduler, interval, timer } from 'rxjs';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import type { Logger } from './log.js';

export interface ReconcileSpec<Desired, Observed, Action> {
  name: string;
  desired$: Observable<Desired>;
  /** Reads the current state of the world. */
  observe: () => Promise<Observed>;
  /** Pure: the actions that turn `observed` into `desired`; empty when converged. */
  diff: (desired: Desired, observed: Observed) => Action[];
  /** Performs the actions; throwing schedules a retry with backoff. */
  apply: (actions: Action[], desired: Desired, observed: Observed) => Promise<void>;
  /** Extra signals that the world may have changed (reconnects, kernel events). */
  triggers$?: Observable<unknown>;
  /** Periodic full pass even without triggers; 0 disables. Default 30 s. */
  resyncIntervalMs?: number;
  backoff?: Partial<BackoffOptions>;
  scheduler?: SchedulerLike;
  logger?: Logger;
}

export interface PassResult<Action> {
  name: string;
  actions: Action[];
  ok: boolean;
  error?: unknown;
  durationMs: number;
  /** Consecutive failed passes before this one. */
  failuresBefore: number;
}

export const isConverged = (result: PassResult<unknown>): boolean => result.ok && result.actions.length === 0;

/**
 * Runs the loop while subscribed; emits one result per pass. Errors of
 * observe/diff/apply never end the stream: they are reported and retried.
 */
export function reconcile<Desired, Observed, Action>(
  spec: ReconcileSpec<Desired, Observed, Action>,
): Observable<PassResult<Action>> {
  const scheduler = spec.scheduler ?? asyncScheduler;
  const resyncMs = spec.resyncIntervalMs ?? 30_000;
  return new Observable<PassResult<Action>>((subscriber) => {
    const subscriptions = new Subscription();
    let latest: { value: Desired } | undefined;
    let running = false;
    let pending = false;
    let failures = 0;
    // Consecutive passes that had to apply actions: the first is verified by an
    // immediate follow-up pass; persistent churn backs off instead of spinning.
    let churn = 0;
    let retryTimer: Subscription | undefined;

    const schedulePass = (delayMs: number): void => {
      retryTimer = timer(delayMs, scheduler).subscribe(requestPass);
      subscriptions.add(retryTimer);
    };

    const requestPass = (): void => {
      if (latest === undefined || subscriber.closed) return;
      if (running) {
        pending = true;
        return;
      }
      void runPass(latest.value);
    };

    const runPass = async (desired: Desired): Promise<void> => {
      running = true;
      pending = false;
      retryTimer?.unsubscribe();
      const started = scheduler.now();
      let actions: Action[] = [];
      try {
        const observed = await spec.observe();
        actions = spec.diff(desired, observed);
        if (actions.length > 0) await spec.apply(actions, desired, observed);
        subscriber.next({ name: spec.name, actions, ok: true, durationMs: scheduler.now() - started, failuresBefore: failures });
        failures = 0;
        churn = actions.length > 0 ? churn + 1 : 0;
        if (churn > 0) schedulePass(churn === 1 ? 0 : backoffDelay(churn - 1, spec.backoff));
      } catch (error) {
        subscriber.next({ name: spec.name, actions, ok: false, error, durationMs: scheduler.now() - started, failuresBefore: failures });
        failures += 1;
        const delay = backoffDelay(failures, spec.backoff);
        spec.logger?.warn('reconcile pass failed; retrying', { loop: spec.name, attempt: failures, retryInMs: delay, error });
        schedulePass(delay);
      } finally {
        running = false;
        if (pending) requestPass();
      }
    };

    subscriptions.add(
      spec.desired$.subscribe({
        next: (value) => {
          latest = { value };
          requestPass();
        },
        error: (error: unknown) => subscriber.error(error),
      }),
    );
    if (spec.triggers$) subscriptions.add(spec.triggers$.subscribe(() => requestPass()));
    if (resyncMs > 0) subscriptions.add(interval(resyncMs, scheduler).subscribe(() => requestPass()));
    return subscriptions;
  });
}
