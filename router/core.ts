// One message in, the messages to publish out: decode, validate, read the
// VPC from the store, plan (router/routes.ts), write the plan's mutations in
// one transaction. Invalid input is logged with its context, counted by
// reason and dropped. Callers hand it one message at a time, in order.
import type { Logger } from '../lib/log.js';
import { decodeMessage, encodeMessage, type Message, type RouteMessage, WireFormatError } from '../proto/remote.js';
import type { RouterMetrics } from './metrics.js';
import { DEFAULT_REJOIN_HOLDDOWN_MS, type Plan, planDeregister, planRegister, planResync, type Request, VpcRegistrations } from './routes.js';
import { checkClaim, FirstClaimBindings, type WorkerBindings } from './ownership.js';
import { checkRegistrationQuota, DEFAULT_MAX_REGISTRATIONS_PER_WORKER, DEFAULT_RESYNC_BURST, DEFAULT_RESYNC_PER_MINUTE, RateLimit } from './quota.js';
import type { Store } from './store.js';
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

  constructor(private readonly options: RouterCoreOptions) {
    this.holddownMs = options.holddownMs ?? DEFAULT_REJOIN_HOLDDOWN_MS;
    this.clock = options.clock ?? Date.now;
    this.log = options.logger;
    this.bindings = options.bindings ?? new FirstClaimBindings(options.store);
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
        return await this.dispatch(worker, message);
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
        const { vpc, endpoint } = parseEndpoint(message.srv6Endpoint);
        const request: Request = { vpc, network: checkNetwork(message.network), endpoint, worker };
        if (message.kind === 'register') await this.bindings.check(worker, endpoint);
        this.options.metrics.messages.inc({ kind: message.kind });
        return this.registration(message.kind, request);
      }
      case 'resync':
        this.resyncLimit.take(worker);
        this.options.metrics.messages.inc({ kind: message.kind });
        return this.resync(worker, message.requestId);
      default:
        throw new Rejected('kind', `a worker may send register, deregister or resync, not ${message.kind}`);
    }
  }

  private async registration(kind: 'register' | 'deregister', request: Request): Promise<Publication[]> {
    const log = this.log.child({ worker: request.worker, network: request.network, endpoint: request.endpoint, vpc: request.vpc });
    const state = new VpcRegistrations(request.vpc, await this.read(() => this.options.store.vpc(request.vpc)));
    if (kind === 'register') await this.admit(state, request);
    const plan: Plan = kind === 'register' ? planRegister(state, request, this.clock(), this.holddownMs) : planDeregister(state, request);
    if (plan.notFound) {
      log.warn('deregister of an unknown registration; ignored');
      return [];
    }
    await this.write(plan);
    log.info(kind === 'register' ? 'registered' : 'deregistered', { routes: plan.routes.length });
    return plan.routes.map(({ worker, route }) => this.publication(worker, route));
  }

  /** Ownership of the network, and the worker's quota unless it already holds the network. */
  private async admit(state: VpcRegistrations, request: Request): Promise<void> {
    checkClaim(state, request);
    if (state.get(request.network)?.worker === request.worker) return;
    const limit = this.options.maxRegistrationsPerWorker ?? DEFAULT_MAX_REGISTRATIONS_PER_WORKER;
    checkRegistrationQuota(request.worker, await this.read(() => this.options.store.countOf(request.worker)), limit, this.options.metrics.quotaExceeded);
  }

  /** Every route ADD a worker should hold now: the answer to its resync, and what `galactic status` compares with. */
  async routesFor(worker: string): Promise<RouteMessage[]> {
    const vpcs = await this.read(() => this.options.store.vpcsOf(worker));
    const states: VpcRegistrations[] = [];
    for (const vpc of vpcs) states.push(new VpcRegistrations(vpc, await this.read(() => this.options.store.vpc(vpc))));
    return planResync(states, worker);
  }

  private async resync(worker: string, requestId: string): Promise<Publication[]> {
    const routes = await this.routesFor(worker);
    this.log.info('resync', { worker, requestId, routes: routes.length });
    return [...routes, { kind: 'resyncComplete', requestId, routes: routes.length } as const].map((message) => this.publication(worker, message));
  }

  private publication(worker: string, message: Message): Publication {
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

  private async write(plan: Plan): Promise<void> {
    const end = this.options.metrics.storeSeconds.startTimer({ operation: 'write' });
    try {
      await this.options.store.apply(plan.mutations);
    } finally {
      end();
    }
    for (const m of plan.mutations) this.options.metrics.registrations.inc(m.op === 'insert' ? 1 : -1);
  }
}
