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
  nexthopKey,
  proxyKey,
  routeKey,
} from './kernel-state.js';

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

const nexthopIsRight = (observed: ObservedNexthop, dev: string): boolean =>
  observed.encap === 'seg6' && observed.dev === dev;

/** Chooses the nexthop id of every (family, segs) key the desired routes use. */
function assignNexthops(desired: DesiredKernel, observed: ObservedKernel, ownership: Ownership): Map<string, NexthopSpec> {
  const wanted = new Map<string, { family: Family; segs: string[] }>();
  for (const route of desired.routes.values()) {
    if (route.kind === 'egress') wanted.set(nexthopKey(route.family, route.segs), { family: route.family, segs: route.segs });
  }
  // Existing ids per key; the lowest wins when the kernel has duplicates.
  const existing = new Map<string, number>();
  for (const nexthop of observed.nexthops.values()) {
    const key = nexthopKey(nexthop.family, nexthop.segs);
    const current = existing.get(key);
    if (current === undefined || nexthop.id < current) existing.set(key, nexthop.id);
  }
  const assigned = new Map<string, NexthopSpec>();
  const unassigned: string[] = [];
  for (const [key, { family, segs }] of wanted) {
    const id = existing.get(key);
    if (id === undefined) unassigned.push(key);
    else assigned.set(key, { id, family, segs, dev: desired.encapDevice });
  }
  if (unassigned.length === 0) return assigned;
  unassigned.sort();
  let candidate = ownership.nexthopIds.first;
  for (const key of unassigned) {
    while (observed.nexthops.has(candidate)) candidate++;
    if (candidate > ownership.nexthopIds.last) {
      throw new NexthopRangeExhaustedError(
        `no free nexthop id in ${ownership.nexthopIds.first}-${ownership.nexthopIds.last} for ${unassigned.length} new remote SIDs`,
      );
    }
    const { family, segs } = wanted.get(key)!;
    assigned.set(key, { id: candidate, family, segs, dev: desired.encapDevice });
    candidate++;
  }
  return assigned;
}

/** The changes that turn `observed` into `desired`; empty when they agree. */
export function diff(desired: DesiredKernel, observed: ObservedKernel, ownership: Ownership = DEFAULT_OWNERSHIP): Action[] {
  const nexthops = assignNexthops(desired, observed, ownership);
  const createNexthops: Action[] = [];
  for (const spec of nexthops.values()) {
    const current = observed.nexthops.get(spec.id);
    if (!current) createNexthops.push({ op: 'nexthop-add', nexthop: spec });
    else if (!nexthopIsRight(current, spec.dev)) createNexthops.push({ op: 'nexthop-replace', nexthop: spec });
  }

  const replaceRoutes: Action[] = [];
  for (const [key, route] of desired.routes) {
    const nhid = route.kind === 'egress' ? nexthops.get(nexthopKey(route.family, route.segs))!.id : undefined;
    if (routeIsRight(route, observed.routes.get(key), nhid)) continue;
    replaceRoutes.push(nhid === undefined ? { op: 'route-replace', route } : { op: 'route-replace', route, nhid });
  }

  const addProxies: Action[] = [];
  for (const [key, proxy] of desired.proxies) {
    if (!observed.proxies.has(key)) addProxies.push({ op: 'proxy-add', proxy });
  }

  const deleteRoutes: Action[] = [];
  const keptNexthops = new Set<number>(observed.foreignNexthopRefs);
  for (const [key, route] of observed.routes) {
    if (desired.routes.has(key)) continue;
    if (desired.keepRoutes.has(key)) {
      if (route.nhid !== undefined) keptNexthops.add(route.nhid);
      continue;
    }
    deleteRoutes.push({ op: 'route-delete', route });
  }

  const deleteProxies: Action[] = [];
  for (const [key, proxy] of observed.proxies) {
    if (!desired.proxies.has(key) && !desired.keepProxies.has(key)) deleteProxies.push({ op: 'proxy-delete', proxy });
  }

  for (const spec of nexthops.values()) keptNexthops.add(spec.id);
  const deleteNexthops: Action[] = [];
  for (const id of observed.nexthops.keys()) {
    if (!keptNexthops.has(id)) deleteNexthops.push({ op: 'nexthop-delete', id });
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
        observed.nexthops.set(id, { id, family, encap: 'seg6', segs, dev });
        break;
      }
      case 'route-replace': {
        const { route } = action;
        const common = { family: route.family, table: route.table, dst: route.dst, metric: defaultMetric(route.family), protocol: ownership.protocol };
        const key = routeKey(route.family, route.table, route.dst);
        if (route.kind === 'ingress') {
          observed.routes.set(key, { ...common, encap: 'seg6local', action: 'End.DT46', vrfTable: route.vrfTable, dev: route.vrf });
        } else {
          const nexthop = observed.nexthops.get(action.nhid!);
          observed.routes.set(key, { ...common, nhid: action.nhid!, encap: 'seg6', segs: nexthop?.segs ?? route.segs, ...(nexthop?.dev ? { dev: nexthop.dev } : {}) });
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
        observed.nexthops.delete(action.id);
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
