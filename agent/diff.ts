// The pure heart of the agent: desired vs observed kernel state ⇒ the
// ordered changes of one `ip -batch`. Rules:
// - Only objects the agent owns are changed or removed: routes with its
//   protocol number, nexthops in its id range, proxy neighbours on G…H links.
// - One nexthop per (family, segments), shared by every route to that SID.
//   Its id is stable: an id already in the kernel for that key is reused; a
//   new key gets the lowest free id of the range (keys taken in sorted order,
//   so the result depends only on the inputs).
// - Order: nexthops created/replaced, routes replaced, proxies added, then
//   routes deleted, proxies deleted, nexthops deleted: a route never points at
//   a missing nexthop, and deleting a nexthop never takes a wanted route along.
// - A route already right produces no line: a restarted agent that finds
//   its routes in place changes nothing.
import type { Family } from '../lib/ip.js';
import {
  type DesiredKernel,
  type DesiredRoute,
  DEFAULT_OWNERSHIP,
  type ObservedKernel,
  type ObservedNexthop,
  type ObservedRoute,
  type Ownership,
  type Proxy,
  defaultMetric,
  deleteObservedNexthop,
  nexthopKey,
  proxyKey,
  routeKey,
  setObservedNexthop,
} from './kernel-state.js';
import type { Scope } from './plan.js';

export interface NexthopSpec {
  id: number;
  family: Family;
  segs: string[];
  dev: string;
}

export type Action =
  | { op: 'nexthop-add' | 'nexthop-replace'; nexthop: NexthopSpec }
  | { op: 'route-replace'; route: DesiredRoute; nhid?: number }
  | { op: 'proxy-add' | 'proxy-delete'; proxy: Proxy }
  | { op: 'route-delete'; route: ObservedRoute }
  | { op: 'nexthop-delete'; id: number };

export class NexthopRangeExhaustedError extends Error {
  override name = 'NexthopRangeExhaustedError';
}

function routeIsRight(desired: DesiredRoute, observed: ObservedRoute | undefined, nhid: number | undefined): boolean {
  if (!observed) return false;
  if (desired.kind === 'ingress') {
    return (
      observed.nhid === undefined &&
      observed.encap === 'seg6local' &&
      observed.action === 'End.DT46' &&
      observed.vrfTable === desired.vrfTable &&
      observed.dev === desired.vrf
    );
  }
  return observed.nhid === nhid;
}

const nexthopIsRight = (observed: ObservedNexthop, dev: string): boolean => observed.encap === 'seg6' && observed.dev === dev;

const lowest = (ids: Set<number> | undefined): number | undefined => {
  if (!ids) return undefined;
  let min: number | undefined;
  for (const id of ids) if (min === undefined || id < min) min = id;
  return min;
};

/**
 * The changes that turn `observed` into `desired`; empty when they agree.
 * With a scope (from Planner.update), only those routes and proxies — and the
 * nexthops they use or used — are compared: the caller guarantees everything
 * else already agrees.
 */
export function diff(desired: DesiredKernel, observed: ObservedKernel, ownership: Ownership = DEFAULT_OWNERSHIP, scope?: Scope): Action[] {
  // Nexthop keys to look at (with a route or nexthop that has the family and segments): all, or those the routes in scope use or used.
  const touched = new Map<string, { family: Family; segs: string[] }>();
  if (scope) {
    for (const key of scope.routes) {
      const route = desired.routes.get(key);
      if (route?.kind === 'egress') touched.set(route.nexthop, route);
      const nhid = observed.routes.get(key)?.nhid;
      const old = nhid === undefined ? undefined : observed.nexthops.get(nhid);
      if (old) touched.set(old.key, old);
    }
  } else {
    for (const route of desired.routes.values()) if (route.kind === 'egress') touched.set(route.nexthop, route);
    for (const nexthop of observed.nexthops.values()) touched.set(nexthop.key, nexthop);
  }

  // Ids: the lowest one the kernel has for a key; new keys get the lowest free ids, in key order.
  const ids = new Map<string, number>();
  const unassigned: string[] = [];
  for (const key of touched.keys()) {
    if (!desired.nexthopUse.has(key)) continue;
    const id = lowest(observed.nexthopsByKey.get(key));
    if (id === undefined) unassigned.push(key);
    else ids.set(key, id);
  }
  unassigned.sort();
  let candidate = ownership.nexthopIds.first;
  for (const key of unassigned) {
    while (observed.nexthops.has(candidate)) candidate++;
    if (candidate > ownership.nexthopIds.last) {
      throw new NexthopRangeExhaustedError(`no free nexthop id in ${ownership.nexthopIds.first}-${ownership.nexthopIds.last} for ${unassigned.length} new remote SIDs`);
    }
    ids.set(key, candidate++);
  }

  const createNexthops: Action[] = [];
  for (const [key, id] of ids) {
    const { family, segs } = touched.get(key)!;
    const spec: NexthopSpec = { id, family, segs, dev: desired.encapDevice };
    const current = observed.nexthops.get(id);
    if (!current) createNexthops.push({ op: 'nexthop-add', nexthop: spec });
    else if (!nexthopIsRight(current, spec.dev)) createNexthops.push({ op: 'nexthop-replace', nexthop: spec });
  }

  const replaceRoutes: Action[] = [];
  const deleteRoutes: Action[] = [];
  const keptNexthops = new Set<number>(observed.foreignNexthopRefs);
  const compareRoute = (key: string, route: DesiredRoute): void => {
    const nhid = route.kind === 'egress' ? ids.get(route.nexthop) : undefined;
    if (routeIsRight(route, observed.routes.get(key), nhid)) return;
    replaceRoutes.push(nhid === undefined ? { op: 'route-replace', route } : { op: 'route-replace', route, nhid });
  };
  const removeStale = (key: string, route: ObservedRoute): void => {
    if (desired.routes.has(key)) return;
    if (desired.keepRoutes.has(key)) {
      if (route.nhid !== undefined) keptNexthops.add(route.nhid);
      return;
    }
    deleteRoutes.push({ op: 'route-delete', route });
  };
  if (scope) {
    for (const key of scope.routes) {
      const route = desired.routes.get(key);
      if (route) compareRoute(key, route);
      const current = observed.routes.get(key);
      if (current) removeStale(key, current);
    }
  } else {
    for (const [key, route] of desired.routes) compareRoute(key, route);
    for (const [key, route] of observed.routes) removeStale(key, route);
  }

  const addProxies: Action[] = [];
  const deleteProxies: Action[] = [];
  const compareProxy = (key: string): void => {
    const want = desired.proxies.get(key);
    const have = observed.proxies.get(key);
    if (want && !have) addProxies.push({ op: 'proxy-add', proxy: want });
    if (have && !want && !desired.keepProxies.has(key)) deleteProxies.push({ op: 'proxy-delete', proxy: have });
  };
  for (const key of scope ? scope.proxies : new Set([...desired.proxies.keys(), ...observed.proxies.keys()])) compareProxy(key);

  // A nexthop goes when no wanted or kept route uses it. Duplicates of a
  // wanted key are collapsed by full diffs only: outside a scope, routes
  // may still point at them.
  const deleteNexthops: Action[] = [];
  for (const key of touched.keys()) {
    const chosen = ids.get(key);
    if (scope && chosen !== undefined) continue;
    for (const id of observed.nexthopsByKey.get(key) ?? []) {
      if (id !== chosen && !keptNexthops.has(id)) deleteNexthops.push({ op: 'nexthop-delete', id });
    }
  }

  return [...createNexthops, ...replaceRoutes, ...addProxies, ...deleteRoutes, ...deleteProxies, ...deleteNexthops];
}

// ---------------------------------------------------------------------------
// Actions as `ip -batch` lines.

/** Prefix of lines that need `ip -6` (IPv6 nexthops: a batch line cannot carry a family option). */
export const INET6_PREFIX = '-6 ';

/** One `ip -batch` line; IPv6 nexthop creation lines start with `-6 ` (see kernel.ts). */
export function formatAction(action: Action, ownership: Ownership = DEFAULT_OWNERSHIP): string {
  const proto = `proto ${ownership.protocol}`;
  switch (action.op) {
    case 'nexthop-add':
    case 'nexthop-replace': {
      const { id, family, segs, dev } = action.nexthop;
      const verb = action.op === 'nexthop-add' ? 'add' : 'replace';
      return `${family === 6 ? INET6_PREFIX : ''}nexthop ${verb} id ${id} encap seg6 mode encap segs ${segs.join(',')} dev ${dev}`;
    }
    case 'route-replace': {
      const { route } = action;
      if (route.kind === 'ingress') {
        return `route replace ${route.dst} encap seg6local action End.DT46 vrftable ${route.vrfTable} dev ${route.vrf} ${proto}`;
      }
      return `route replace ${route.dst} nhid ${action.nhid} table ${route.table} ${proto}`;
    }
    case 'route-delete': {
      const { route } = action;
      const metric = route.metric === 0 && route.family === 4 ? '' : ` metric ${route.metric}`;
      return `route del ${route.dst} table ${route.table} ${proto}${metric}`;
    }
    case 'proxy-add':
      return `neigh replace proxy ${action.proxy.dst} dev ${action.proxy.dev}`;
    case 'proxy-delete':
      return `neigh del proxy ${action.proxy.dst} dev ${action.proxy.dev}`;
    case 'nexthop-delete':
      return `nexthop del id ${action.id}`;
  }
}

// ---------------------------------------------------------------------------
// The kernel's answer to the actions, as a model: the observation after a
// successful batch, without reading the kernel again.

/** Updates `observed` in place to what the kernel holds after `actions` succeeded. */
export function applyActions(observed: ObservedKernel, actions: readonly Action[], ownership: Ownership = DEFAULT_OWNERSHIP): ObservedKernel {
  const deletedNexthops = new Set<number>();
  for (const action of actions) {
    switch (action.op) {
      case 'nexthop-add':
      case 'nexthop-replace': {
        const { id, family, segs, dev } = action.nexthop;
        setObservedNexthop(observed, { id, family, encap: 'seg6', segs, dev });
        break;
      }
      case 'route-replace': {
        const { route } = action;
        const { family, table, dst } = route;
        const key = routeKey(family, table, dst);
        const metric = defaultMetric(family);
        const protocol = ownership.protocol;
        if (route.kind === 'ingress') {
          observed.routes.set(key, { family, table, dst, metric, protocol, encap: 'seg6local', action: 'End.DT46', vrfTable: route.vrfTable, dev: route.vrf });
        } else {
          const nexthop = observed.nexthops.get(action.nhid!);
          const observedRoute: ObservedRoute = { family, table, dst, metric, protocol, nhid: action.nhid!, encap: 'seg6', segs: nexthop?.segs ?? route.segs };
          if (nexthop?.dev) observedRoute.dev = nexthop.dev;
          observed.routes.set(key, observedRoute);
        }
        break;
      }
      case 'route-delete': {
        const { route } = action;
        observed.routes.delete(routeKey(route.family, route.table, route.dst, route.metric));
        break;
      }
      case 'proxy-add':
        observed.proxies.set(proxyKey(action.proxy.dst, action.proxy.dev), action.proxy);
        break;
      case 'proxy-delete':
        observed.proxies.delete(proxyKey(action.proxy.dst, action.proxy.dev));
        break;
      case 'nexthop-delete':
        deleteObservedNexthop(observed, action.id);
        deletedNexthops.add(action.id);
        break;
    }
  }
  // The kernel removes every route using a deleted nexthop.
  if (deletedNexthops.size > 0) {
    for (const [key, route] of observed.routes) if (route.nhid !== undefined && deletedNexthops.has(route.nhid)) observed.routes.delete(key);
  }
  return observed;
}
