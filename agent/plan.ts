// From intent (local registrations + routes from the router) to the desired
// kernel state, resolved against what the kernel has: a registration's VRF
// and its table come from the kernel (the CNI plugin creates them). Pure.
import { type Family, familyBits } from '../lib/ip.js';
import { hostVethName, vrfName } from '../lib/names.js';
import {
  type DesiredKernel,
  type EgressRoute,
  type IngressRoute,
  MAIN_TABLE,
  type ObservedKernel,
  destinationKey,
  emptyDesired,
  proxyKey,
  routeKey,
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

const isHostNetwork = (route: RouterRoute): boolean => route.network.endsWith(`/${familyBits(route.family)}`);

export function plan(intent: Intent, observed: ObservedKernel, encapDevice: string): Plan {
  const desired = emptyDesired(encapDevice);
  const problems: Problem[] = [];
  const tables = new Map<string, number>();

  for (const registration of intent.registrations.values()) {
    const vrf = vrfName(registration.vpc, registration.attachment);
    const table = observed.links.get(vrf)?.vrfTable;
    if (table === undefined) {
      problems.push({ reason: 'vrf-missing', sid: registration.sid, detail: `VRF ${vrf} does not exist (the CNI plugin creates it before Register)` });
      continue;
    }
    tables.set(registration.sid, table);
    const dst = `${registration.sid}/128`;
    const ingress: IngressRoute = { kind: 'ingress', family: 6, table: MAIN_TABLE, dst, vrf, vrfTable: table };
    desired.routes.set(routeKey(6, MAIN_TABLE, dst), ingress);
  }

  for (const route of intent.routes.values()) {
    const registration = intent.registrations.get(route.endpoint);
    if (!registration) {
      problems.push({ reason: 'not-registered', sid: route.endpoint, network: route.network, detail: `no local attachment is registered with SID ${route.endpoint}` });
      continue;
    }
    const table = tables.get(route.endpoint);
    if (table === undefined) continue; // reported with the registration
    if (observed.foreignDestinations.has(destinationKey(route.family, table, route.network))) {
      problems.push({
        reason: 'destination-taken',
        sid: route.endpoint,
        network: route.network,
        detail: `table ${table} already has a route to ${route.network} that the agent did not create`,
      });
      continue;
    }
    const egress: EgressRoute = { kind: 'egress', family: route.family, table, dst: route.network, segs: route.segments };
    desired.routes.set(routeKey(route.family, table, route.network), egress);
    if (isHostNetwork(route)) {
      const dev = hostVethName(registration.vpc, registration.attachment);
      if (!observed.links.has(dev)) {
        problems.push({ reason: 'veth-missing', sid: route.endpoint, network: route.network, detail: `host veth ${dev} does not exist: no proxy neighbour` });
        continue;
      }
      const dst = route.network.slice(0, route.network.lastIndexOf('/'));
      desired.proxies.set(proxyKey(dst, dev), { dst, dev });
    }
  }

  if (intent.resyncing) {
    const registeredTables = new Set(tables.values());
    for (const [key, route] of observed.routes) {
      if (route.encap !== 'seg6local' && registeredTables.has(route.table)) desired.keepRoutes.add(key);
    }
    const hostVeths = new Set([...intent.registrations.values()].map((r) => hostVethName(r.vpc, r.attachment)));
    for (const [key, proxy] of observed.proxies) {
      if (hostVeths.has(proxy.dev)) desired.keepProxies.add(key);
    }
  }
  return { desired, problems };
}
