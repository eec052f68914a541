// The kernel as the agent sees it: desired and observed state as plain data,
// and the parsers that turn `ip -j` output into the observed state. Pure: no
// I/O here (agent/kernel.ts runs the commands).
//
// `ip -j` quirks handled here (SPEC §5): /32 and /128 destinations print
// without a prefix length and the default route as "default"; `table` is a
// string, absent for the main table; IPv4 routes carry no `metric`; `-N`
// prints numbers where names would appear (protocol, table, scope), but
// names are accepted too; a `link show type X` filter prints `{}` for each
// link it skips.
import { type Family, formatAddress, formatCidr, networkOf, parseAddress, parseCidr } from '../lib/ip.js';
import { parseLinkName } from '../lib/names.js';

/** Route protocol number on every route the agent creates (`ip route … proto 201`). */
export const ROUTE_PROTOCOL = 201;
/** Nexthop object ids the agent allocates from and owns: 0x47000000–0x47ffffff ('G'). */
export const NEXTHOP_ID_RANGE = { first: 0x4700_0000, last: 0x47ff_ffff } as const;
export const MAIN_TABLE = 254;

export interface Ownership {
  protocol: number;
  nexthopIds: { first: number; last: number };
}

export const DEFAULT_OWNERSHIP: Ownership = { protocol: ROUTE_PROTOCOL, nexthopIds: NEXTHOP_ID_RANGE };

/** The metric a route gets when none is given: IPv4 0, IPv6 1024. */
export const defaultMetric = (family: Family): number => (family === 4 ? 0 : 1024);

/** Identity of a route in the kernel: family, table, destination, metric. */
export const routeKey = (family: Family, table: number, dst: string, metric = defaultMetric(family)): string =>
  `${family} ${table} ${dst} ${metric}`;

/** A destination in a table, whatever the metric: what a foreign route occupies. */
export const destinationKey = (family: Family, table: number, dst: string): string => `${family} ${table} ${dst}`;

export const nexthopKey = (family: Family, segs: readonly string[]): string => `${family} ${segs.join(',')}`;

export const proxyKey = (dst: string, dev: string): string => `${dst} ${dev}`;

// ---------------------------------------------------------------------------
// Desired state: what the agent wants in the kernel.

/** `<SID>/128 encap seg6local action End.DT46 vrftable T dev <vrf>` in the main table. */
export interface IngressRoute {
  kind: 'ingress';
  family: 6;
  table: typeof MAIN_TABLE;
  /** `<SID>/128`, canonical. */
  dst: string;
  vrf: string;
  vrfTable: number;
}

/** `<network> nhid N table T`, N being the nexthop of (family, segs). */
export interface EgressRoute {
  kind: 'egress';
  family: Family;
  table: number;
  /** Canonical network, e.g. 10.1.1.2/32. */
  dst: string;
  /** Canonical IPv6 segments of the seg6 encap. */
  segs: string[];
  /** nexthopKey(family, segs), computed once. */
  nexthop: string;
}

export const egressRoute = (family: Family, table: number, dst: string, segs: string[]): EgressRoute => ({
  kind: 'egress',
  family,
  table,
  dst,
  segs,
  nexthop: nexthopKey(family, segs),
});

export type DesiredRoute = IngressRoute | EgressRoute;

export interface Proxy {
  /** Canonical address without prefix length. */
  dst: string;
  dev: string;
}

export interface DesiredKernel {
  /** Device the seg6 nexthops point at (lo-galactic). */
  encapDevice: string;
  /** By routeKey. */
  routes: Map<string, DesiredRoute>;
  /** By proxyKey. */
  proxies: Map<string, Proxy>;
  /** Egress routes per nexthop key (family and segments): a nexthop is wanted while its count is above 0. */
  nexthopUse: Map<string, number>;
  /**
   * Owned objects to leave as they are even though not desired (routes by
   * routeKey, proxies by proxyKey): while a resynchronisation with the
   * router is under way, nothing is removed before the full set is known.
   */
  keepRoutes: Set<string>;
  keepProxies: Set<string>;
}

export const emptyDesired = (encapDevice: string): DesiredKernel => ({
  encapDevice,
  routes: new Map(),
  proxies: new Map(),
  nexthopUse: new Map(),
  keepRoutes: new Set(),
  keepProxies: new Set(),
});

/** Sets a desired route, keeping nexthopUse in step. */
export function setDesiredRoute(desired: DesiredKernel, key: string, route: DesiredRoute): void {
  if (desired.routes.has(key)) deleteDesiredRoute(desired, key);
  desired.routes.set(key, route);
  if (route.kind === 'egress') desired.nexthopUse.set(route.nexthop, (desired.nexthopUse.get(route.nexthop) ?? 0) + 1);
}

/** Removes a desired route, keeping nexthopUse in step. */
export function deleteDesiredRoute(desired: DesiredKernel, key: string): void {
  const route = desired.routes.get(key);
  if (!route) return;
  desired.routes.delete(key);
  if (route.kind === 'egress') {
    const use = (desired.nexthopUse.get(route.nexthop) ?? 0) - 1;
    if (use > 0) desired.nexthopUse.set(route.nexthop, use);
    else desired.nexthopUse.delete(route.nexthop);
  }
}

// ---------------------------------------------------------------------------
// Observed state: what `ip -j` shows.

export interface ObservedRoute {
  family: Family;
  table: number;
  dst: string;
  metric: number;
  protocol: number | undefined;
  nhid?: number;
  encap?: string;
  segs?: string[];
  action?: string;
  vrfTable?: number;
  dev?: string;
}

export interface ObservedNexthop {
  id: number;
  family: Family;
  encap?: string;
  segs: string[];
  dev?: string;
  /** nexthopKey(family, segs), computed once. */
  key: string;
}

export interface ObservedLink {
  name: string;
  kind?: string;
  /** For VRFs: their routing table. */
  vrfTable?: number;
}

export interface ObservedKernel {
  links: Map<string, ObservedLink>;
  /** Routes with the agent's protocol, by routeKey. */
  routes: Map<string, ObservedRoute>;
  /** destinationKey of every route the agent does not own. */
  foreignDestinations: Set<string>;
  /** Nexthops in the agent's id range, by id. */
  nexthops: Map<number, ObservedNexthop>;
  /** The same nexthops by nexthopKey (family and segments): ids, usually one. */
  nexthopsByKey: Map<string, Set<number>>;
  /** Ids in the agent's range that routes it does not own point at: never deleted. */
  foreignNexthopRefs: Set<number>;
  /** Proxy neighbours on Galactic host veths (G…H), by proxyKey. */
  proxies: Map<string, Proxy>;
}

export const emptyObserved = (): ObservedKernel => ({
  links: new Map(),
  routes: new Map(),
  foreignDestinations: new Set(),
  nexthops: new Map(),
  nexthopsByKey: new Map(),
  foreignNexthopRefs: new Set(),
  proxies: new Map(),
});

/** Records a nexthop (added or replaced), keeping nexthopsByKey in step. */
export function setObservedNexthop(observed: ObservedKernel, fields: Omit<ObservedNexthop, 'key'>): void {
  const nexthop: ObservedNexthop = { ...fields, key: nexthopKey(fields.family, fields.segs) };
  if (observed.nexthops.has(nexthop.id)) deleteObservedNexthop(observed, nexthop.id);
  observed.nexthops.set(nexthop.id, nexthop);
  const { key } = nexthop;
  let ids = observed.nexthopsByKey.get(key);
  if (!ids) observed.nexthopsByKey.set(key, (ids = new Set()));
  ids.add(nexthop.id);
}

export function deleteObservedNexthop(observed: ObservedKernel, id: number): void {
  const nexthop = observed.nexthops.get(id);
  if (!nexthop) return;
  observed.nexthops.delete(id);
  const ids = observed.nexthopsByKey.get(nexthop.key);
  ids?.delete(id);
  if (ids?.size === 0) observed.nexthopsByKey.delete(nexthop.key);
}

/** The raw `ip -j` outputs an observation is made of (JSON-parsed). */
export interface IpJsonOutput {
  /** `ip -j -N -4 route show table all` */
  routes4: unknown;
  /** `ip -j -N -6 route show table all` */
  routes6: unknown;
  /** `ip -j -4 nexthop` */
  nexthops4: unknown;
  /** `ip -j -6 nexthop` */
  nexthops6: unknown;
  /** `ip -j neigh show proxy` */
  proxies: unknown;
  /** `ip -j -d link show` */
  links: unknown;
}

type Json = Record<string, unknown>;

const records = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null && Object.keys(v).length > 0) : [];

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const int = (value: unknown): number | undefined => {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
};

const TABLE_NAMES: Record<string, number> = { default: 253, main: MAIN_TABLE, local: 255 };
const PROTOCOL_NAMES: Record<string, number> = { redirect: 1, kernel: 2, boot: 3, static: 4, ra: 9, dhcp: 16 };

/** Table of a route: numeric string, a name, or absent (main). */
export function parseTable(value: unknown): number {
  if (value === undefined) return MAIN_TABLE;
  const n = int(value);
  if (n !== undefined) return n;
  return TABLE_NAMES[String(value)] ?? -1;
}

function parseProtocol(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return int(value) ?? PROTOCOL_NAMES[String(value)];
}

// Canonical forms are memoised: a full observation of a large table
// canonicalises tens of thousands of strings the kernel prints the same way
// every time.
const MEMO_LIMIT = 200_000;
const prefixMemo = new Map<string, string>();
const addressMemo = new Map<string, string>();

function memo(cache: Map<string, string>, key: string, compute: () => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/** Canonical network of a prefix (`10.1.1.1/24` ⇒ `10.1.1.0/24`, `2001:DB8::/32` ⇒ `2001:db8::/32`). */
export function canonicalPrefix(text: string): string {
  return memo(prefixMemo, text, () => formatCidr(networkOf(parseCidr(text))));
}

/** Canonical address (RFC 5952 for IPv6). */
export function canonicalAddress(text: string): string {
  return memo(addressMemo, text, () => {
    const { family, value } = parseAddress(text);
    return formatAddress(family, value);
  });
}

/** Canonical IPv6 address, or undefined for anything that is not one (IPv4 included). */
export function canonicalIPv6(text: string): string | undefined {
  try {
    const canonical = canonicalAddress(text);
    return canonical.includes(':') ? canonical : undefined;
  } catch {
    return undefined;
  }
}

/** A route destination as `ip -j` prints it, made a canonical prefix. */
export function parseDestination(family: Family, dst: string): string {
  if (dst === 'default') return family === 4 ? '0.0.0.0/0' : '::/0';
  return canonicalPrefix(dst.includes('/') ? dst : `${dst}/${family === 4 ? 32 : 128}`);
}

export function parseRoute(family: Family, entry: Json): ObservedRoute | undefined {
  const dstText = str(entry.dst);
  if (dstText === undefined) return undefined;
  let dst: string;
  try {
    dst = parseDestination(family, dstText);
  } catch {
    return undefined;
  }
  const route: ObservedRoute = {
    family,
    table: parseTable(entry.table),
    dst,
    metric: int(entry.metric) ?? 0,
    protocol: parseProtocol(entry.protocol),
  };
  const nhid = int(entry.nhid);
  if (nhid !== undefined) route.nhid = nhid;
  const encap = str(entry.encap);
  if (encap !== undefined) route.encap = encap;
  if (Array.isArray(entry.segs)) route.segs = entry.segs.map((s) => canonicalAddress(String(s)));
  const action = str(entry.action);
  if (action !== undefined) route.action = action;
  const vrfTable = int(entry.vrftable);
  if (vrfTable !== undefined) route.vrfTable = vrfTable;
  const dev = str(entry.dev);
  if (dev !== undefined) route.dev = dev;
  return route;
}

export function parseNexthop(family: Family, entry: Json): Omit<ObservedNexthop, 'key'> | undefined {
  const id = int(entry.id);
  if (id === undefined) return undefined;
  const nexthop: Omit<ObservedNexthop, 'key'> = {
    id,
    family,
    segs: Array.isArray(entry.segs) ? entry.segs.map((s) => canonicalAddress(String(s))) : [],
  };
  const encap = str(entry.encap);
  if (encap !== undefined) nexthop.encap = encap;
  const dev = str(entry.dev);
  if (dev !== undefined) nexthop.dev = dev;
  return nexthop;
}

export function parseLink(entry: Json): ObservedLink | undefined {
  const name = str(entry.ifname);
  if (name === undefined) return undefined;
  const link: ObservedLink = { name };
  const info = entry.linkinfo as Json | undefined;
  const kind = str(info?.info_kind);
  if (kind !== undefined) link.kind = kind;
  const table = int((info?.info_data as Json | undefined)?.table);
  if (kind === 'vrf' && table !== undefined) link.vrfTable = table;
  return link;
}

/** Whether a proxy neighbour on this device is the agent's: Galactic host veths only. */
export const ownsProxyDevice = (dev: string): boolean => parseLinkName(dev)?.role === 'H';

export const inRange = (id: number, range: Ownership['nexthopIds']): boolean => id >= range.first && id <= range.last;

/** Builds the observed state from `ip -j` output, keeping what ownership needs. */
export function parseObserved(raw: IpJsonOutput, ownership: Ownership = DEFAULT_OWNERSHIP): ObservedKernel {
  const observed = emptyObserved();
  for (const entry of records(raw.links)) {
    const link = parseLink(entry);
    if (link) observed.links.set(link.name, link);
  }
  for (const [family, list] of [[4, raw.routes4], [6, raw.routes6]] as const) {
    for (const entry of records(list)) {
      const route = parseRoute(family, entry);
      if (!route) continue;
      if (route.protocol === ownership.protocol) {
        observed.routes.set(routeKey(family, route.table, route.dst, route.metric), route);
      } else {
        observed.foreignDestinations.add(destinationKey(family, route.table, route.dst));
        if (route.nhid !== undefined && inRange(route.nhid, ownership.nexthopIds)) observed.foreignNexthopRefs.add(route.nhid);
      }
    }
  }
  for (const [family, list] of [[4, raw.nexthops4], [6, raw.nexthops6]] as const) {
    for (const entry of records(list)) {
      const nexthop = parseNexthop(family, entry);
      if (nexthop && inRange(nexthop.id, ownership.nexthopIds)) setObservedNexthop(observed, nexthop);
    }
  }
  for (const entry of records(raw.proxies)) {
    const dev = str(entry.dev);
    const dst = str(entry.dst);
    if (dev === undefined || dst === undefined || !ownsProxyDevice(dev)) continue;
    try {
      const address = canonicalAddress(dst);
      observed.proxies.set(proxyKey(address, dev), { dst: address, dev });
    } catch {
      // not an address: not something the agent made
    }
  }
  return observed;
}

/** A deep copy, for callers that keep an observation while it is updated in place. */
export function cloneObserved(observed: ObservedKernel): ObservedKernel {
  return {
    links: new Map(observed.links),
    routes: new Map(observed.routes),
    foreignDestinations: new Set(observed.foreignDestinations),
    nexthops: new Map(observed.nexthops),
    nexthopsByKey: new Map([...observed.nexthopsByKey].map(([key, ids]) => [key, new Set(ids)])),
    foreignNexthopRefs: new Set(observed.foreignNexthopRefs),
    proxies: new Map(observed.proxies),
  };
}
