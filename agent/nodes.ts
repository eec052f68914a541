// The agent's view of the cluster's Nodes (in-cluster service account, or
// KUBECONFIG): its own srv6_net, and every other node's prefix and address
// for the underlay routes. Reading only; the operator writes the annotation.
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Observable } from 'rxjs';
import { isAddress, isCidr, parseCidr } from '../lib/ip.js';
import { SRV6_NET_ANNOTATION, watchTriggers } from '../lib/kube-nodes.js';
import type { Logger } from '../lib/log.js';


export interface NodeView {
  name: string;
  srv6Net?: string;
  /** InternalIP addresses, as the Node's status lists them. */
  addresses: string[];
}

export interface UnderlayRoute {
  /** A peer's srv6_net. */
  prefix: string;
  /** The peer's IPv6 node address (Linux has no IPv6 routes through IPv4 gateways). */
  via: string;
}

export interface NodeSource {
  get(name: string): Promise<NodeView | undefined>;
  list(): Promise<NodeView[]>;
  /** Emits on every Node change; the watch restarts after errors. */
  changes(): Observable<void>;
}

export const toNodeView = (node: V1Node): NodeView => ({
  name: node.metadata?.name ?? '',
  ...(node.metadata?.annotations?.[SRV6_NET_ANNOTATION] !== undefined ? { srv6Net: node.metadata.annotations[SRV6_NET_ANNOTATION] } : {}),
  addresses: (node.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address),
});

/**
 * Routes to every other node's srv6_net through its IPv6 InternalIP; the
 * names of annotated nodes that have none (their prefix needs a route by hand).
 */
export function underlayRoutes(self: string, nodes: NodeView[]): { routes: UnderlayRoute[]; unreachable: string[] } {
  const routes: UnderlayRoute[] = [];
  const unreachable: string[] = [];
  for (const node of nodes) {
    if (node.name === self || node.srv6Net === undefined || !isCidr(node.srv6Net) || parseCidr(node.srv6Net).family !== 6) continue;
    const via = node.addresses.find((a) => isAddress(a, 6));
    if (via !== undefined) routes.push({ prefix: node.srv6Net, via });
    else unreachable.push(node.name);
  }
  return { routes: routes.sort((a, b) => (a.prefix < b.prefix ? -1 : 1)), unreachable: unreachable.sort() };
}

export function kubeNodeSource(kubeconfigPath?: string): NodeSource {
  const config = new KubeConfig();
  if (kubeconfigPath) config.loadFromFile(kubeconfigPath);
  else config.loadFromDefault();
  const core = config.makeApiClient(CoreV1Api);
  return {
    get: async (name) => {
      try {
        return toNodeView(await core.readNode({ name }));
      } catch (error) {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
      }
    },
    list: async () => (await core.listNode()).items.map(toNodeView),
    changes: () => watchTriggers(config, '/api/v1/nodes'),
  };
}

/**
 * This node's srv6_net from its Node: waits (checking every 2 s) until the
 * operator or an administrator has set the annotation.
 */
export async function awaitNodeSrv6Net(nodes: NodeSource, name: string, logger: Logger, options: { intervalMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const node = await nodes.get(name).catch((error: unknown) => {
      logger.warn('cannot read this node', { node: name, error });
      return undefined;
    });
    if (node?.srv6Net !== undefined) return node.srv6Net;
    if (attempt === 0) {
      logger.warn(`node ${name} has no ${SRV6_NET_ANNOTATION} yet; waiting`, {
        fix: `run the operator with --srv6-pool, or: kubectl annotate node ${name} ${SRV6_NET_ANNOTATION}=<prefix, e.g. 2001:db8:ff01::/48>`,
      });
    }
    await sleep(options.intervalMs ?? 2000, undefined, options.signal ? { signal: options.signal } : {});
  }
}
