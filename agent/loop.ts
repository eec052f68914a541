// The agent's reconcile loop (lib/reconcile) over the kernel: desired = the
// intent of the stores, observed = the kernel adapter's view, diff = plan +
// diff (pure), apply = one batch per pass.
import { type Observable, defer, interval, map, tap } from 'rxjs';
import type { Logger } from '../lib/log.js';
import { type PassResult, reconcile } from '../lib/reconcile.js';
import { type Action, diff } from './diff.js';
import type { Kernel } from './kernel.js';
import type { ObservedKernel } from './kernel-state.js';
import { type Intent, type Plan, plan } from './plan.js';
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
  /** Full re-read of the kernel this often (repairs drift). */
  resyncIntervalMs: number;
  logger: Logger;
  onPass?: (result: PassResult<Action>) => void;
}

/**
 * The reconcile loop (lib/reconcile) over the kernel: desired = intent of the
 * stores, observed = the kernel adapter's view, diff = plan + diff (pure),
 * apply = one batch. Emits every pass with the intent version it worked from.
 */
export function kernelLoop(options: KernelLoopOptions): Observable<PassRecord> {
  const { kernel } = options;
  return defer(() => {
    let planned: { version: number; plan: Plan } | undefined;
    return reconcile<Intent, ObservedKernel, Action>({
      name: 'agent',
      desired$: intent$(options.registrations, options.routes),
      observe: () => {
        planned = undefined;
        return kernel.observe();
      },
      diff: (intent, observed) => {
        const result = plan(intent, observed, options.encapDevice);
        planned = { version: intent.version, plan: result };
        return diff(result.desired, observed);
      },
      apply: (actions) => kernel.apply(actions),
      triggers$: interval(options.resyncIntervalMs).pipe(tap(() => kernel.invalidate())),
      resyncIntervalMs: 0,
      logger: options.logger,
    }).pipe(
      map((result) => {
        options.onPass?.(result);
        const record: PassRecord = { ok: result.ok, version: planned?.version ?? -1, actions: result.actions.length, durationMs: result.durationMs };
        if (planned) record.plan = planned.plan;
        if (!result.ok) record.error = result.error;
        return record;
      }),
    );
  });
}
