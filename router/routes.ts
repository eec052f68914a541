// The route computation of SPEC §9, pure: given the registrations of one VPC
// (read from the store by the caller), a message, its worker and the time, it
// returns the routes to publish and the store mutations, and does no I/O.
// Its cost is proportional to the size of the VPC at hand, which is also the
// number of routes a registration emits; the rest of the store is never read.
import type { RouteMessage } from '../proto/remote.js';

export interface Registration {
  /** 12 hex digits, decoded from the endpoint (SPEC §4). */
  vpc: string;
  /** As the agent sent it (validated, never rewritten). */
  network: string;
  /** The SID, in canonical IPv6 form. */
  endpoint: string;
  worker: string;
  /** Milliseconds since the epoch. */
  created: number;
}

/** A register or deregister request, already validated. */
export interface Request {
  vpc: string;
  network: string;
  endpoint: string;
  worker: string;
}

/** A plan deletes whoever holds a network before it inserts it; a delete names the worker whose registration it removes. */
export type Mutation = { op: 'insert'; registration: Registration } | { op: 'delete'; vpc: string; network: string; worker: string };

export interface Outgoing {
  worker: string;
  route: RouteMessage;
}

export interface Plan {
  routes: Outgoing[];
  mutations: Mutation[];
  /** Set when a deregister named no stored registration (a no-op). */
  notFound?: boolean;
}

export const DEFAULT_REJOIN_HOLDDOWN_MS = 10_000;

const route = (worker: string, status: RouteMessage['status'], network: string, endpoint: string, segment: string): Outgoing => ({
  worker,
  route: { kind: 'route', network, srv6Endpoint: endpoint, srv6Segments: [segment], status },
});

/**
 * One VPC's registrations, indexed by network ((vpc, network) is unique: a
 * register first removes whatever held the network). A working copy: the
 * plan functions apply their own mutations to it as they go, so step 2 of a
 * register sees the store as it is after step 1.
 */
export class VpcRegistrations {
  private readonly byNetwork = new Map<string, Registration>();

  constructor(
    readonly vpc: string,
    registrations: Iterable<Registration> = [],
  ) {
    for (const registration of registrations) this.byNetwork.set(registration.network, registration);
  }

  get size(): number {
    return this.byNetwork.size;
  }

  get(network: string): Registration | undefined {
    return this.byNetwork.get(network);
  }

  all(): IterableIterator<Registration> {
    return this.byNetwork.values();
  }

  /** Registrations with a different network *and* a different endpoint (SPEC §9 "peers"). */
  peers(network: string, endpoint: string): Registration[] {
    const peers: Registration[] = [];
    for (const registration of this.byNetwork.values()) {
      if (registration.network !== network && registration.endpoint !== endpoint) peers.push(registration);
    }
    return peers;
  }

  /** Registrations of `worker` with `endpoint` (this VPC only). */
  of(worker: string, endpoint: string): Registration[] {
    return [...this.byNetwork.values()].filter((r) => r.worker === worker && r.endpoint === endpoint);
  }

  insert(registration: Registration): void {
    this.byNetwork.set(registration.network, registration);
  }

  delete(network: string): void {
    this.byNetwork.delete(network);
  }
}

/** Distinct (worker, endpoint) pairs, in first-seen order. */
function distinctPairs(registrations: Registration[]): Array<{ worker: string; endpoint: string }> {
  const seen = new Map<string, { worker: string; endpoint: string }>();
  for (const { worker, endpoint } of registrations) {
    const key = `${worker}\n${endpoint}`;
    if (!seen.has(key)) seen.set(key, { worker, endpoint });
  }
  return [...seen.values()];
}

/** Deregister (SPEC §9), applied to `state`; `plan` collects routes and mutations. */
function deregisterInto(state: VpcRegistrations, request: Request, plan: Plan): boolean {
  const current = state.get(request.network);
  if (!current || current.endpoint !== request.endpoint || current.worker !== request.worker) return false;
  const peers = state.peers(current.network, current.endpoint);
  if (state.of(current.worker, current.endpoint).length === 1) {
    for (const peer of peers) plan.routes.push(route(current.worker, 'DELETE', peer.network, current.endpoint, peer.endpoint));
  }
  for (const pair of distinctPairs(peers)) plan.routes.push(route(pair.worker, 'DELETE', current.network, pair.endpoint, current.endpoint));
  state.delete(current.network);
  plan.mutations.push({ op: 'delete', vpc: current.vpc, network: current.network, worker: current.worker });
  return true;
}

export function planDeregister(state: VpcRegistrations, request: Request): Plan {
  const plan: Plan = { routes: [], mutations: [] };
  if (!deregisterInto(state, request, plan)) plan.notFound = true;
  return plan;
}

export function planRegister(state: VpcRegistrations, request: Request, now: number, holddownMs = DEFAULT_REJOIN_HOLDDOWN_MS): Plan {
  const plan: Plan = { routes: [], mutations: [] };
  const { network, endpoint, worker } = request;
  // 1. Whoever holds (v, N) leaves first: a move or a re-join.
  const previous = state.get(network);
  if (previous) deregisterInto(state, previous, plan);
  const peers = state.peers(network, endpoint);
  // 2. "First one": the endpoint learns every peer, unless this worker
  //    registered it within the hold-down (it already has them).
  const rejoin = state.of(worker, endpoint).some((r) => r.created > now - holddownMs);
  if (!rejoin) {
    for (const peer of peers) plan.routes.push(route(worker, 'ADD', peer.network, endpoint, peer.endpoint));
  }
  // 3. Every peer endpoint learns the new network, once per (worker, endpoint).
  for (const pair of distinctPairs(peers)) plan.routes.push(route(pair.worker, 'ADD', network, pair.endpoint, endpoint));
  // 4. Store it.
  const registration: Registration = { ...request, created: now };
  state.insert(registration);
  plan.mutations.push({ op: 'insert', registration });
  return plan;
}

/**
 * Every route ADD `worker` should currently have (the resync extension): for
 * each of its endpoints, a route to every peer network. `vpcs` holds the
 * registrations of every VPC in which the worker has an endpoint.
 */
export function planResync(vpcs: Iterable<VpcRegistrations>, worker: string): RouteMessage[] {
  const routes: RouteMessage[] = [];
  for (const state of vpcs) {
    const endpoints = new Set<string>();
    for (const registration of state.all()) if (registration.worker === worker) endpoints.add(registration.endpoint);
    for (const endpoint of endpoints) {
      // (v, N) is unique, so "a different network and a different endpoint"
      // is "a different endpoint" once the endpoint's own networks are stored.
      for (const peer of state.all()) if (peer.endpoint !== endpoint) routes.push(route(worker, 'ADD', peer.network, endpoint, peer.endpoint).route);
    }
  }
  return routes;
}

/**
 * What turns the store's registrations of one worker into the full set that
 * worker reports (anti-entropy RegistrationSet): register what is missing or
 * held with another endpoint or by another worker, deregister what the worker
 * no longer has. Identical registrations are left alone, so a worker that
 * reports what the store already holds changes nothing anywhere.
 */
export function diffRegistrationSet(stored: Iterable<Registration>, wanted: readonly Request[]): { register: Request[]; deregister: Request[] } {
  const key = (r: { vpc: string; network: string }): string => `${r.vpc}\n${r.network}`;
  const held = new Map<string, Registration>();
  for (const registration of stored) held.set(key(registration), registration);
  const register: Request[] = [];
  const seen = new Set<string>();
  for (const request of wanted) {
    const k = key(request);
    if (seen.has(k)) continue;
    seen.add(k);
    const current = held.get(k);
    if (!current || current.endpoint !== request.endpoint || current.worker !== request.worker) register.push(request);
  }
  const deregister: Request[] = [];
  for (const [k, { vpc, network, endpoint, worker }] of held) if (!seen.has(k)) deregister.push({ vpc, network, endpoint, worker });
  return { register, deregister };
}
