// With --prepare-host: underlay routes to every other node's srv6_net through
// that node's address, from the Node objects (annotation + InternalIP), kept
// by a reconcile loop (lib/reconcile): nodes that join get a route, nodes
// that leave lose theirs. The loop owns only main-table IPv6 routes with its
// own protocol number, never the agent's (201) or anyone else's.
import { of } from 'rxjs';
import { normalizeCidr } from '../lib/ip.js';
import type { IpRoute2 } from '../lib/iproute.js';
import type { Logger } from '../lib/log.js';
import { reconcile } from '../lib/reconcile.js';
import { canonicalAddress } from './kernel-state.js';
import { type NodeSource, type UnderlayRoute, underlayRoutes } from './nodes.js';

/** Route protocol of the underlay routes (`ip -6 route … proto 202`). */
export const UNDERLAY_PROTOCOL = 202;

export type UnderlayAction = { kind: 'replace'; route: UnderlayRoute } | { kind: 'delete'; prefix: string };

interface RouteEntry {
  dst?: string;
  gateway?: string;
}

/** `ip -j -6 route show proto 202` as routes, canonical. */
export function parseUnderlayRoutes(entries: RouteEntry[]): UnderlayRoute[] {
  const routes: UnderlayRoute[] = [];
  for (const entry of entries) {
    if (entry.dst === undefined || entry.gateway === undefined || entry.dst === 'default') continue;
    routes.push({ prefix: normalizeCidr(entry.dst), via: canonicalAddress(entry.gateway) });
  }
  return routes;
}

/** Pure: replace what is missing or points elsewhere, delete what no node wants. */
export function diffUnderlay(desired: UnderlayRoute[], observed: UnderlayRoute[]): UnderlayAction[] {
  const want = new Map(desired.map((r) => [normalizeCidr(r.prefix), canonicalAddress(r.via)]));
  const have = new Map(observed.map((r) => [r.prefix, r.via]));
  const actions: UnderlayAction[] = [];
  for (const [prefix, via] of want) if (have.get(prefix) !== via) actions.push({ kind: 'replace', route: { prefix, via } });
  for (const prefix of have.keys()) if (!want.has(prefix)) actions.push({ kind: 'delete', prefix });
  return actions;
}

export const underlayCommand = (action: UnderlayAction): string[] =>
  action.kind === 'replace'
    ? ['-6', 'route', 'replace', action.route.prefix, 'via', action.route.via, 'proto', String(UNDERLAY_PROTOCOL)]
    : ['-6', 'route', 'del', action.prefix, 'proto', String(UNDERLAY_PROTOCOL)];

export interface UnderlayOptions {
  nodeName: string;
  nodes: NodeSource;
  ip: IpRoute2;
  logger: Logger;
  resyncIntervalMs: number;
}

/** The loop; subscribe to run it (each pass's result is emitted). */
export function underlayLoop(options: UnderlayOptions) {
  let reported = '';
  const observe = async (): Promise<{ desired: UnderlayRoute[]; routes: UnderlayRoute[] }> => {
    const [nodes, entries] = await Promise.all([options.nodes.list(), options.ip.json<RouteEntry[]>(['-6', 'route', 'show', 'proto', String(UNDERLAY_PROTOCOL)])]);
    const { routes, unreachable } = underlayRoutes(options.nodeName, nodes);
    if (unreachable.join() !== reported && unreachable.length > 0) {
      options.logger.warn('nodes without an IPv6 InternalIP: no underlay route to their srv6_net', { nodes: unreachable, fix: 'give them an IPv6 node address, or route their prefixes by hand' });
    }
    reported = unreachable.join();
    return { desired: routes, routes: parseUnderlayRoutes(entries) };
  };
  return reconcile<string, Awaited<ReturnType<typeof observe>>, UnderlayAction>({
    name: 'underlay-routes',
    desired$: of(options.nodeName),
    observe,
    diff: (_self, observed) => diffUnderlay(observed.desired, observed.routes),
    apply: async (actions) => {
      for (const action of actions) {
        await options.ip.run(underlayCommand(action));
        options.logger.info(action.kind === 'replace' ? 'underlay route set' : 'underlay route removed', action.kind === 'replace' ? { ...action.route } : { prefix: action.prefix });
      }
    },
    triggers$: options.nodes.changes(),
    resyncIntervalMs: options.resyncIntervalMs,
    logger: options.logger,
  });
}
