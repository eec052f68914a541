// The leader's node srv6_net allocator: a reconcile loop (lib/reconcile) that
// lists the Nodes, plans (controllers/srv6-pool) and annotates the Nodes that
// have no prefix yet. Each write is conditional on the Node's resourceVersion,
// so a prefix an administrator set meanwhile wins (409, the next pass sees it);
// only the leader writes (the Kube write guard), one pass at a time, so two
// nodes never get the same prefix. A Node's deletion frees its prefix.
import { BehaviorSubject, type Subscription } from 'rxjs';
import { formatCidr } from '../lib/ip.js';
import type { Logger } from '../lib/log.js';
import { reconcile } from '../lib/reconcile.js';
import type { Kube } from './kube.js';
import { type NodePrefixView, type PrefixAssignment, SRV6_NET_ANNOTATION, type Srv6Pool, planNodePrefixes } from './srv6-pool.js';

export interface NodePrefixAllocator {
  stop(): void;
}

export function startNodePrefixAllocator(options: { kube: Kube; pool: Srv6Pool; logger: Logger; resyncIntervalMs: number }): NodePrefixAllocator {
  const { kube, logger } = options;
  const log = logger.child({ controller: 'node-srv6-net', pool: formatCidr(options.pool.pool) });
  let reported = '';
  /** Logged when they change, not on every pass. */
  const reportProblems = (problems: string[]): void => {
    const text = problems.join('\n');
    if (text !== reported && problems.length > 0) log.warn('node srv6_net problems', { problems });
    reported = text;
  };
  const subscription: Subscription = reconcile<Srv6Pool, NodePrefixView[], PrefixAssignment>({
    name: 'node-srv6-net',
    desired$: new BehaviorSubject(options.pool),
    observe: async () => {
      const nodes = (await kube.nodes.list()).map((node) => ({
        name: node.metadata?.name ?? '',
        resourceVersion: node.metadata?.resourceVersion ?? '',
        ...(node.metadata?.annotations?.[SRV6_NET_ANNOTATION] !== undefined ? { srv6Net: node.metadata.annotations[SRV6_NET_ANNOTATION] } : {}),
      }));
      reportProblems(planNodePrefixes(nodes, options.pool).problems);
      return nodes;
    },
    diff: (pool, nodes) => planNodePrefixes(nodes, pool).assign,
    apply: async (assignments) => {
      for (const a of assignments) {
        await kube.nodes.annotate(a.node, a.resourceVersion, { [SRV6_NET_ANNOTATION]: a.srv6Net });
        log.info('node srv6_net assigned', { node: a.node, srv6Net: a.srv6Net });
      }
    },
    triggers$: kube.nodes.changes(),
    resyncIntervalMs: options.resyncIntervalMs,
    logger: log,
  }).subscribe();
  return { stop: () => subscription.unsubscribe() };
}
