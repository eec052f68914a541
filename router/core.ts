// One message in, the messages to publish out: decode, validate, read the
// VPC from the store, plan (router/routes.ts), write the plan's mutations in
// one transaction. Invalid input is logged with its context, counted by
// reason and dropped. Callers hand it one message at a time, in order.
import type { Logger } from '../lib/log.js';
import { Subject } from 'rxjs';
import { registrationLine, routeLine, SetAssembler, summarise } from '../lib/anti-entropy.js';
import { decodeMessage, encodeMessage, type Message, type RouteMessage, type SetRegistration, type SetSummary, WireFormatError } from '../proto/remote.js';
import type { RouterMetrics } from './metrics.js';
import {
  DEFAULT_REJOIN_HOLDDOWN_MS,
  diffRegistrationSet,
  type Plan,
  planDeregister,
  planRegister,
  planResync,
  type Registration,
  type Request,
  VpcRegistrations,
} from './routes.js';
import { checkClaim, FirstClaimBindings, type WorkerBindings } from './ownership.js';
import { checkRegistrationQuota, DEFAULT_MAX_REGISTRATIONS_PER_WORKER, DEFAULT_RESYNC_BURST, DEFAULT_RESYNC_PER_MINUTE, RateLimit, RegistrationCounts } from './quota.js';
import { AnnouncementOrder } from './sequence.js';
import { VpcCache } from './vpc-cache.js';
import type { AppliedSequence, Store } from './store.js';
import type { Heard } from './worker-loops.js';
import { checkMessageSize, clip, checkNetwork, checkWorkerName, DEFAULT_MAX_MESSAGE_BYTES, parseEndpoint, quote, Rejected } from './validation.js';

export { checkNetwork, parseEndpoint, type RejectReason, Rejected } from './validation.js';

export interface Publication {
  worker: string;
  topic: string;
  message: Message;
  payload: Uint8Array;
}

/** `galactic/` or `galactic` ⇒ `galactic`; the topics are `<base>/<worker>/send|receive`. */
export const normaliseTopicBase = (base: string): string => base.replace(/\/+$/, '');

export const sendFilter = (base: string): string => `${normaliseTopicBase(base)}/+/send`;
export const receiveTopic = (base: string, worker: string): string => `${normaliseTopicBase(base)}/${worker}/receive`;

/** The worker named by `<base>/<worker>/send`. */
export function workerOf(base: string, topic: string): string {
  const prefix = `${normaliseTopicBase(base)}/`;
  const worker = topic.startsWith(prefix) && topic.endsWith('/send') ? topic.slice(prefix.length, -'/send'.length) : undefined;
  if (worker === undefined || worker === '' || worker.includes('/')) {
    throw new Rejected('topic', `topic ${quote(topic)} is not ${prefix}<worker>/send`);
  }
  return checkWorkerName(worker);
}

export interface RouterCoreOptions {
  store: Store;
  topicBase: string;
  holddownMs?: number;
  /** Milliseconds since the epoch; injected by tests. */
  clock?: () => number;
  logger: Logger;
  metrics: RouterMetrics;
  /** Who may register which endpoints; default: first claim binds (router/ownership.ts). */
  bindings?: WorkerBindings;
  maxMessageBytes?: number;
  maxRegistrationsPerWorker?: number;
  /** Resync requests per worker: `burst` at once, then `perMinute`. */
  resyncRate?: { burst: number; perMinute: number };
}

export class RouterCore {
  private readonly holddownMs: number;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly bindings: WorkerBindings;
  private readonly resyncLimit: RateLimit;
  /** Every message accepted, by worker (router/worker-loops.ts keeps a loop per worker heard of). */
  readonly heard$ = new Subject<Heard>();
  /** RegistrationSets in assembly, one per worker. */
  private readonly registrationSets = new SetAssembler<SetRegistration>();
  /** Drops a worker's announcements older than what it has applied (router/sequence.ts). */
  private readonly order: AnnouncementOrder;
  /** Registrations stored per worker, for the quota. */
  private readonly counts: RegistrationCounts;
  /** Recently used VPCs as stored, so a message need not read its VPC again. */
  private readonly vpcs = new VpcCache();

  constructor(private readonly options: RouterCoreOptions) {
    this.holddownMs = options.holddownMs ?? DEFAULT_REJOIN_HOLDDOWN_MS;
    this.clock = options.clock ?? Date.now;
    this.log = options.logger;
    this.bindings = options.bindings ?? new FirstClaimBindings(options.store);
    this.order = new AnnouncementOrder(options.store, options.metrics.staleDropped, this.log);
    this.counts = new RegistrationCounts((worker) => this.read(() => options.store.countOf(worker)));
    const rate = options.resyncRate ?? { burst: DEFAULT_RESYNC_BURST, perMinute: DEFAULT_RESYNC_PER_MINUTE };
    this.resyncLimit = new RateLimit(rate.burst, rate.perMinute, options.metrics.quotaExceeded, 'resync', this.clock);
  }

  /** Sets the registrations gauge from the store; call once at start. */
  async init(): Promise<void> {
    this.options.metrics.registrations.set(await this.options.store.count());
  }

  /** Handles one MQTT message; invalid ones are logged, counted and answered with nothing. */
  async handle(topic: string, payload: Uint8Array): Promise<Publication[]> {
    let worker: string | undefined;
    try {
      worker = workerOf(this.options.topicBase, topic);
      checkMessageSize(payload.length, this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
      try {
        const message = decodeMessage(payload);
        const publications = await this.dispatch(worker, message);
        if (message.kind !== 'summary') this.heard$.next({ worker });
        return publications;
      } catch (error) {
        if (error instanceof WireFormatError) throw new Rejected('payload', error.message);
        throw error;
      }
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      this.options.metrics.rejected.inc({ reason: error.reason });
      // Once, and never the payload: the error quotes the offending field, truncated.
      this.log.warn('dropped invalid message', { reason: error.reason, error: error.message, topic: clip(topic), bytes: payload.length, ...(worker !== undefined ? { worker } : {}) });
      return [];
    }
  }

  private async dispatch(worker: string, message: Message): Promise<Publication[]> {
    switch (message.kind) {
      case 'register':
      case 'deregister': {
        const request = this.request(worker, message.network, message.srv6Endpoint);
        this.options.metrics.messages.inc({ kind: message.kind });
        const admission = await this.order.admit(worker, message.kind, message.sequence);
        return admission.stale ? [] : this.registration(message.kind, request, admission.applied);
      }
      case 'resync':
        this.resyncLimit.take(worker);
        this.options.metrics.messages.inc({ kind: message.kind });
        return this.resync(worker, message.requestId);
      case 'summary':
        this.resyncLimit.take(worker);
        this.options.metrics.messages.inc({ kind: message.kind });
        // Answered by the worker's anti-entropy loop, so a worker that cannot be reached never holds up the others.
        this.heard$.next({ worker, summary: { requestId: message.requestId, routes: message.routes } });
        return [];
      case 'registrationSet': {
        this.options.metrics.messages.inc({ kind: message.kind });
        const set = this.registrationSets.add(worker, message.setId, message.part, message.parts, message.registrations);
        if (!set) return [];
        const admission = await this.order.admit(worker, 'registrationSet', message.sequence);
        return admission.stale ? [] : this.registrationSet(worker, set, admission.applied);
      }
      default:
        throw new Rejected('kind', `a worker may send register, deregister, resync, summary or registration_set, not ${message.kind}`);
    }
  }

  /** Validates one register/deregister's endpoint and network into a request. */
  private request(worker: string, network: string, srv6Endpoint: string): Request {
    const { vpc, endpoint } = parseEndpoint(srv6Endpoint);
    return { vpc, network: checkNetwork(network), endpoint, worker };
  }

  private async registration(kind: 'register' | 'deregister', request: Request, applied?: AppliedSequence): Promise<Publication[]> {
    // Context fields, not a child logger: no logger built per message on the hot path.
    const context = { worker: request.worker, network: request.network, endpoint: request.endpoint, vpc: request.vpc };
    const state = new VpcRegistrations(request.vpc, await this.storedVpc(request.vpc));
    if (kind === 'register') await this.admit(state, request);
    const plan: Plan = kind === 'register' ? planRegister(state, request, this.clock(), this.holddownMs) : planDeregister(state, request);
    if (plan.notFound) {
      this.log.warn('deregister of an unknown registration; ignored', context);
      // Applied as a no-op all the same: an older Register resent later must not revive the network.
      if (applied) await this.write(plan, applied);
      return [];
    }
    await this.write(plan, applied, state);
    this.log.info(kind === 'register' ? 'registered' : 'deregistered', { ...context, routes: plan.routes.length });
    return plan.routes.map(({ worker, route }) => this.publication(worker, route));
  }

  /** Ownership of the endpoint and the network, and the worker's quota unless it already holds the network. */
  private async admit(state: VpcRegistrations, request: Request): Promise<void> {
    await this.bindings.check(request.worker, request.endpoint);
    checkClaim(state, request);
    if (state.get(request.network)?.worker === request.worker) return;
    const limit = this.options.maxRegistrationsPerWorker ?? DEFAULT_MAX_REGISTRATIONS_PER_WORKER;
    checkRegistrationQuota(request.worker, await this.counts.of(request.worker), limit, this.options.metrics.quotaExceeded);
  }

  /** Every route ADD a worker should hold now: the answer to its resync, and what `galactic status` compares with. */
  async routesFor(worker: string): Promise<RouteMessage[]> {
    return planResync(await this.vpcsOf(worker), worker);
  }

  /** Every VPC in which `worker` has a registration, as stored. */
  private async vpcsOf(worker: string): Promise<VpcRegistrations[]> {
    const vpcs = await this.read(() => this.options.store.vpcsOf(worker));
    const states: VpcRegistrations[] = [];
    for (const vpc of vpcs) states.push(new VpcRegistrations(vpc, await this.read(() => this.options.store.vpc(vpc))));
    return states;
  }

  private static registrationsOf(states: VpcRegistrations[], worker: string): Registration[] {
    return states.flatMap((state) => [...state.all()].filter((r) => r.worker === worker));
  }

  /**
   * What the store implies for a worker, as anti-entropy summaries: the
   * registrations it holds and the routes it should hold (router/worker-loops.ts
   * compares them with the worker's report).
   */
  async desiredFor(worker: string): Promise<{ registrations: SetSummary; routes: SetSummary; appliedSequence?: number }> {
    const states = await this.vpcsOf(worker);
    const appliedSequence = await this.read(() => this.options.store.appliedSequence(worker));
    return {
      registrations: summarise(RouterCore.registrationsOf(states, worker).map((r) => registrationLine({ network: r.network, srv6Endpoint: r.endpoint }))),
      routes: summarise(planResync(states, worker).map(routeLine)),
      ...(appliedSequence !== undefined ? { appliedSequence } : {}),
    };
  }

  /** Every worker with registrations in the store. */
  async workers(): Promise<string[]> {
    return this.read(() => this.options.store.workers());
  }

  async hasRegistrations(worker: string): Promise<boolean> {
    return (await this.counts.of(worker)) > 0;
  }

  /** A complete RegistrationSet: only the difference to the store is applied (SPEC §9 rules for each). */
  private async registrationSet(worker: string, set: SetRegistration[], applied?: AppliedSequence): Promise<Publication[]> {
    const wanted: Request[] = [];
    for (const item of set) {
      try {
        wanted.push(this.request(worker, item.network, item.srv6Endpoint));
      } catch (error) {
        if (!(error instanceof Rejected)) throw error;
        this.options.metrics.rejected.inc({ reason: error.reason });
        this.log.warn('dropped an invalid entry of a registration set', { worker, reason: error.reason, error: error.message });
      }
    }
    const { register, deregister } = diffRegistrationSet(RouterCore.registrationsOf(await this.vpcsOf(worker), worker), wanted);
    this.log.info('anti-entropy registration set', { worker, registrations: wanted.length, register: register.length, deregister: deregister.length });
    if (register.length + deregister.length > 0) this.options.metrics.repairs.inc({ set: 'registrations' });
    const out: Publication[] = [];
    for (const request of deregister) out.push(...(await this.registration('deregister', request)));
    for (const request of register) {
      try {
        out.push(...(await this.registration('register', request)));
      } catch (error) {
        // One refused entry (ownership, quota) must not stop the rest of the set.
        if (!(error instanceof Rejected)) throw error;
        this.options.metrics.rejected.inc({ reason: error.reason });
        this.log.warn('refused an entry of a registration set', { worker, network: request.network, reason: error.reason, error: error.message });
      }
    }
    // Marked once the whole set is applied: a crash before it redelivers the set, whose difference is then what is left.
    if (applied) await this.write({ routes: [], mutations: [] }, applied);
    return out;
  }

  private async resync(worker: string, requestId: string): Promise<Publication[]> {
    const routes = await this.routesFor(worker);
    this.log.info('resync', { worker, requestId, routes: routes.length });
    return [...routes, { kind: 'resyncComplete', requestId, routes: routes.length } as const].map((message) => this.publication(worker, message));
  }

  publication(worker: string, message: Message): Publication {
    return { worker, topic: receiveTopic(this.options.topicBase, worker), message, payload: encodeMessage(message) };
  }

  private async read<T>(query: () => Promise<T>): Promise<T> {
    const end = this.options.metrics.storeSeconds.startTimer({ operation: 'read' });
    try {
      return await query();
    } finally {
      end();
    }
  }

  /** A VPC's registrations as stored: kept from the last message in it, or read. */
  private async storedVpc(vpc: string): Promise<readonly Registration[]> {
    const kept = this.vpcs.get(vpc);
    if (kept) return kept;
    const stored = await this.read(() => this.options.store.vpc(vpc));
    this.vpcs.set(vpc, stored);
    return stored;
  }

  /** Applies a plan's mutations; `after`: the plan's VPC as it is once they are applied, for the VPC cache. */
  private async write(plan: Plan, applied?: AppliedSequence, after?: VpcRegistrations): Promise<void> {
    const end = this.options.metrics.storeSeconds.startTimer({ operation: 'write' });
    try {
      await this.options.store.apply(plan.mutations, applied);
      if (applied) this.order.written(applied, true);
      this.counts.written(plan.mutations, true);
      if (after) this.vpcs.set(after.vpc, [...after.all()]);
    } catch (error) {
      if (applied) this.order.written(applied, false);
      this.counts.written(plan.mutations, false);
      if (after) this.vpcs.drop(after.vpc);
      throw error;
    } finally {
      end();
    }
    for (const m of plan.mutations) this.options.metrics.registrations.inc(m.op === 'insert' ? 1 : -1);
  }
}
