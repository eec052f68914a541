// The agent's reconcile loop (lib/reconcile) over the kernel: desired = the
// intent of the stores, observed = the kernel adapter's view, diff = plan +
// diff (pure), apply = one batch per pass; triggered by kernel drift seen by
// `ip monitor` and, as a backstop, a periodic full read.
import { type Observable, defer, interval, map, merge, tap } from 'rxjs';
import type { Logger } from '../lib/log.js';
import { type PassResult, reconcile } from '../lib/reconcile.js';
import { type Action, diff } from './diff.js';
import type { Drift, Kernel } from './kernel.js';
import type { ObservedKernel } from './kernel-state.js';
import { type Intent, type Plan, Planner } from './plan.js';
import { type RegistrationStore, type RouteStore, intent$ } from './registrations.js';

/** A reconcile pass with the intent version it worked from and its plan. */
export interface PassRecord {
  ok: boolean;
  version: number;
  plan?: Plan;
  actions: number;
  durationMs: number;
  error?: unknown;
}

export interface KernelLoopOptions {
  kernel: Kernel;
  registrations: RegistrationStore;
  routes: RouteStore;
  encapDevice: string;
  /** Full re-read of the kernel this often: the backstop when kernel events are missed. */
  resyncIntervalMs: number;
  logger: Logger;
  onPass?: (result: PassResult<Action>) => void;
  onDrift?: (drift: Drift) => void;
}

/**
 * The reconcile loop (lib/reconcile) over the kernel: desired = intent of the
 * stores, observed = the kernel adapter's view, diff = plan + diff (pure),
 * apply = one batch. Emits every pass with the intent version it worked from.
 */
export function kernelLoop(options: KernelLoopOptions): Observable<PassRecord> {
  const { kernel, routes } = options;
  return defer(() => {
    const planner = new Planner(options.encapDevice);
    let planned: { version: number; plan: Plan } | undefined;
    /** What the last plan was made from; `settled` once its pass succeeded. */
    let basis: { fullReads: number; registrations: Intent['registrations']; resyncing: boolean; settled: boolean } | undefined;
    return reconcile<Intent, ObservedKernel, Action>({
      name: 'agent',
      desired$: intent$(options.registrations, routes),
      observe: () => {
        planned = undefined;
        return kernel.observe();
      },
      diff: (intent, observed) => {
        const changes = routes.takeChanges();
        // Incremental when only routes changed since a pass that succeeded, and
        // the kernel view is the one that plan was made against.
        const incremental =
          basis !== undefined &&
          basis.settled &&
          changes !== 'all' &&
          basis.fullReads === kernel.fullReads &&
          basis.registrations === intent.registrations &&
          !basis.resyncing &&
          !intent.resyncing;
        basis = { fullReads: kernel.fullReads, registrations: intent.registrations, resyncing: intent.resyncing, settled: false };
        const version = (intent.registrationsVersion ?? 0) + routes.version$.value;
        if (incremental) {
          const { plan: result, scope } = planner.update(intent, observed, changes);
          planned = { version, plan: result };
          return diff(result.desired, observed, undefined, scope);
        }
        const result = planner.full(intent, observed);
        planned = { version, plan: result };
        return diff(result.desired, observed);
      },
      apply: (actions) => kernel.apply(actions),
      triggers$: merge(
        interval(options.resyncIntervalMs).pipe(tap(() => kernel.invalidate())),
        kernel.drift({ encapDevice: options.encapDevice, logger: options.logger }).pipe(
          tap((drift) => {
            options.logger.debug('kernel drift: reading the kernel again', { ...drift });
            options.onDrift?.(drift);
          }),
        ),
      ),
      resyncIntervalMs: 0,
      logger: options.logger,
    }).pipe(
      map((result) => {
        options.onPass?.(result);
        if (result.ok && basis) basis.settled = true;
        const record: PassRecord = { ok: result.ok, version: planned?.version ?? -1, actions: result.actions.length, durationMs: result.durationMs };
        if (planned) record.plan = planned.plan;
        if (!result.ok) record.error = result.error;
        return record;
      }),
    );
  });
}
