// From intent (local registrations + routes from the router) to the desired
// kernel state, resolved against what the kernel has: a registration's VRF
// and its table come from the kernel (the CNI plugin creates them). Pure.
import { type Family, familyBits } from '../lib/ip.js';
import { hostVethName, vrfName } from '../lib/names.js';
import {
  type DesiredKernel,
  type IngressRoute,
  MAIN_TABLE,
  type ObservedKernel,
  deleteDesiredRoute,
  destinationKey,
  egressRoute,
  emptyDesired,
  proxyKey,
  routeKey,
  setDesiredRoute,
} from './kernel-state.js';

/** A local attachment registered by the CNI plugin. */
export interface Registration {
  /** Canonical SID: encode(srv6_net, vpc, attachment). */
  sid: string;
  vpc: bigint;
  attachment: bigint;
  /** As registered (host routes of the addresses, routed prefixes); announced verbatim. */
  networks: string[];
}

/** A validated route from the router: reach `network` from the VRF of local `endpoint` through `segments`. */
export interface RouterRoute {
  /** Canonical local SID. */
  endpoint: string;
  /** Canonical network. */
  network: string;
  family: Family;
  /** Canonical IPv6 segments. */
  segments: string[];
}

export const routerRouteKey = (endpoint: string, network: string): string => `${endpoint} ${network}`;

export interface Intent {
  registrations: ReadonlyMap<string, Registration>;
  /** Changes of the registrations so far (part of version). */
  registrationsVersion?: number;
  routes: ReadonlyMap<string, RouterRoute>;
  /** While true (a resynchronisation with the router is under way), owned egress state is not removed. */
  resyncing: boolean;
  /** Increases with every change of the above. */
  version: number;
}

export type ProblemReason = 'vrf-missing' | 'not-registered' | 'destination-taken' | 'veth-missing';

export interface Problem {
  reason: ProblemReason;
  sid: string;
  network?: string;
  detail: string;
}

export interface Plan {
  desired: DesiredKernel;
  /** Parts of the intent that cannot be programmed now (retried every pass). */
  problems: Problem[];
}

/** Which keys of a plan changed in an incremental update: the only ones the diff needs to look at. */
export interface Scope {
  routes: Set<string>;
  proxies: Set<string>;
}

const isHostNetwork = (route: RouterRoute): boolean => route.network.endsWith(`/${familyBits(route.family)}`);

/** What one route from the router adds to the desired state. */
interface Contribution {
  routeKey?: string;
  proxyKey?: string;
  problem?: Problem;
}

interface PlannerState {
  desired: DesiredKernel;
  problems: Map<string, Problem>;
  /** By routerRouteKey. */
  contributions: Map<string, Contribution>;
  /** VRF table of each registered SID whose VRF exists. */
  tables: Map<string, number>;
}

/**
 * Computes the desired kernel state from the intent: in full, or — when only
 * some routes from the router changed and the kernel view is the one the
 * previous plan was made against — for those routes only, updating the
 * previous plan in place (what makes a single route change cheap in a
 * table of tens of thousands).
 */
export class Planner {
  private state: PlannerState | undefined;

  constructor(private readonly encapDevice: string) {}

  full(intent: Intent, observed: ObservedKernel): Plan {
    const desired = emptyDesired(this.encapDevice);
    const state: PlannerState = { desired, problems: new Map(), contributions: new Map(), tables: new Map() };
    for (const registration of intent.registrations.values()) {
      const vrf = vrfName(registration.vpc, registration.attachment);
      const table = observed.links.get(vrf)?.vrfTable;
      if (table === undefined) {
        state.problems.set(`registration ${registration.sid}`, {
          reason: 'vrf-missing',
          sid: registration.sid,
          detail: `VRF ${vrf} does not exist (the CNI plugin creates it before Register)`,
        });
        continue;
      }
      state.tables.set(registration.sid, table);
      const dst = `${registration.sid}/128`;
      const ingress: IngressRoute = { kind: 'ingress', family: 6, table: MAIN_TABLE, dst, vrf, vrfTable: table };
      setDesiredRoute(desired, routeKey(6, MAIN_TABLE, dst), ingress);
    }
    for (const [key, route] of intent.routes) this.contribute(state, intent, observed, key, route);

    if (intent.resyncing) {
      const registeredTables = new Set(state.tables.values());
      for (const [key, route] of observed.routes) {
        if (route.encap !== 'seg6local' && registeredTables.has(route.table)) desired.keepRoutes.add(key);
      }
      const hostVeths = new Set([...intent.registrations.values()].map((r) => hostVethName(r.vpc, r.attachment)));
      for (const [key, proxy] of observed.proxies) {
        if (hostVeths.has(proxy.dev)) desired.keepProxies.add(key);
      }
    }
    this.state = state;
    return { desired, problems: [...state.problems.values()] };
  }

  /**
   * Updates the previous plan for these routes (by routerRouteKey) only. The
   * caller guarantees the rest is unchanged: same registrations, same kernel
   * view (no full read since), no resynchronisation under way.
   */
  update(intent: Intent, observed: ObservedKernel, changed: Iterable<string>): { plan: Plan; scope: Scope } {
    const state = this.state;
    if (!state) throw new Error('Planner.update before a full plan');
    const scope: Scope = { routes: new Set(), proxies: new Set() };
    for (const key of changed) {
      const previous = state.contributions.get(key);
      if (previous) {
        state.contributions.delete(key);
        state.problems.delete(key);
        if (previous.routeKey !== undefined) {
          deleteDesiredRoute(state.desired, previous.routeKey);
          scope.routes.add(previous.routeKey);
        }
        if (previous.proxyKey !== undefined) {
          state.desired.proxies.delete(previous.proxyKey);
          scope.proxies.add(previous.proxyKey);
        }
      }
      const route = intent.routes.get(key);
      if (!route) continue;
      const added = this.contribute(state, intent, observed, key, route);
      if (added.routeKey !== undefined) scope.routes.add(added.routeKey);
      if (added.proxyKey !== undefined) scope.proxies.add(added.proxyKey);
    }
    return { plan: { desired: state.desired, problems: [...state.problems.values()] }, scope };
  }

  private contribute(state: PlannerState, intent: Intent, observed: ObservedKernel, key: string, route: RouterRoute): Contribution {
    const contribution = planRoute(route, intent.registrations.get(route.endpoint), state.tables.get(route.endpoint), observed);
    state.contributions.set(key, contribution);
    if (contribution.problem) state.problems.set(key, contribution.problem);
    if (contribution.routeKey !== undefined) {
      setDesiredRoute(state.desired, contribution.routeKey, egressRoute(route.family, state.tables.get(route.endpoint)!, route.network, route.segments));
    }
    if (contribution.proxyKey !== undefined) {
      const registration = intent.registrations.get(route.endpoint)!;
      const dev = hostVethName(registration.vpc, registration.attachment);
      state.desired.proxies.set(contribution.proxyKey, { dst: route.network.slice(0, route.network.lastIndexOf('/')), dev });
    }
    return contribution;
  }
}

/** Where one route from the router goes: its egress route and proxy neighbour keys, or why it cannot be programmed. */
function planRoute(route: RouterRoute, registration: Registration | undefined, table: number | undefined, observed: ObservedKernel): Contribution {
  if (!registration) {
    return { problem: { reason: 'not-registered', sid: route.endpoint, network: route.network, detail: `no local attachment is registered with SID ${route.endpoint}` } };
  }
  if (table === undefined) return {}; // reported with the registration (its VRF is missing)
  if (observed.foreignDestinations.has(destinationKey(route.family, table, route.network))) {
    return {
      problem: {
        reason: 'destination-taken',
        sid: route.endpoint,
        network: route.network,
        detail: `table ${table} already has a route to ${route.network} that the agent did not create`,
      },
    };
  }
  const contribution: Contribution = { routeKey: routeKey(route.family, table, route.network) };
  if (isHostNetwork(route)) {
    const dev = hostVethName(registration.vpc, registration.attachment);
    if (!observed.links.has(dev)) {
      contribution.problem = { reason: 'veth-missing', sid: route.endpoint, network: route.network, detail: `host veth ${dev} does not exist: no proxy neighbour` };
    } else {
      contribution.proxyKey = proxyKey(route.network.slice(0, route.network.lastIndexOf('/')), dev);
    }
  }
  return contribution;
}

/** The desired kernel state for an intent (a full plan). */
export function plan(intent: Intent, observed: ObservedKernel, encapDevice: string): Plan {
  return new Planner(encapDevice).full(intent, observed);
}
