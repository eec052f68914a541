// The operator's Prometheus metrics (one set per registry, so several
// operators can run in one process, as the tests do).
import { Counter, Gauge, Histogram, type Registry } from '../lib/metrics.js';
import type { WorkQueue } from '../lib/workqueue.js';

export interface OperatorMetrics {
  registry: Registry;
  /** API requests issued, by verb (get, list, watch, create, update, patch, delete) and resource. */
  requests: Counter<'verb' | 'resource'>;
  passes: Counter<'controller' | 'outcome'>;
  duration: Histogram<'controller'>;
  leader: Gauge;
  /** Reports the depth of these queues (the running controllers'), or none. */
  setQueues(queues: Record<string, WorkQueue> | undefined): void;
}

export function operatorMetrics(registry: Registry): OperatorMetrics {
  let queues: Record<string, WorkQueue> | undefined;
  new Gauge({
    name: 'galactic_operator_queue_depth',
    help: 'Keys waiting or running per work queue',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [name, queue] of Object.entries(queues ?? {})) this.set({ queue: name }, queue.depth + queue.inFlight);
    },
  });
  return {
    registry,
    requests: new Counter({
      name: 'galactic_operator_api_requests_total',
      help: 'Kubernetes API requests issued by the operator',
      labelNames: ['verb', 'resource'],
      registers: [registry],
    }),
    passes: new Counter({
      name: 'galactic_operator_reconcile_total',
      help: 'Reconcile passes by controller and outcome',
      labelNames: ['controller', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'galactic_operator_reconcile_seconds',
      help: 'Duration of reconcile passes',
      labelNames: ['controller'],
      buckets: [0.001, 0.01, 0.05, 0.2, 1, 5],
      registers: [registry],
    }),
    leader: new Gauge({
      name: 'galactic_operator_leader',
      help: '1 while this replica holds the leader lease and runs the controllers',
      registers: [registry],
    }),
    setQueues: (next) => {
      queues = next;
    },
  };
}

/** Sum of a counter's values (all label sets). */
export async function counterTotal(counter: Counter<string>): Promise<number> {
  const { values } = await counter.get();
  return values.reduce((sum, value) => sum + value.value, 0);
}
