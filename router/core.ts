// One message in, the messages to publish out: decode, validate, read the
// VPC from the store, plan (router/routes.ts), write the plan's mutations in
// one transaction. Invalid input is logged with its context, counted by
// reason and dropped. Callers hand it one message at a time, in order.
import { formatHexIdentifier, VPC_ID_BITS } from '../lib/identifiers.js';
import { formatAddress, parseAddress, parseCidr } from '../lib/ip.js';
import type { Logger } from '../lib/log.js';
import { decodeMessage, encodeMessage, type Message, type RouteMessage, WireFormatError } from '../proto/remote.js';
import type { RouterMetrics } from './metrics.js';
import { DEFAULT_REJOIN_HOLDDOWN_MS, type Plan, planDeregister, planRegister, planResync, type Request, VpcRegistrations } from './routes.js';
import type { Store } from './store.js';

export type RejectReason = 'payload' | 'topic' | 'endpoint' | 'network' | 'kind';

export class Rejected extends Error {
  override name = 'Rejected';
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

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
    throw new Rejected('topic', `topic ${JSON.stringify(topic)} is not ${prefix}<worker>/send`);
  }
  return worker;
}

/** The VPC (12 hex digits) and canonical form of an endpoint; it must be IPv6. */
export function parseEndpoint(endpoint: string): { vpc: string; endpoint: string } {
  let parsed: { family: 4 | 6; value: bigint };
  try {
    parsed = parseAddress(endpoint);
  } catch {
    throw new Rejected('endpoint', `srv6_endpoint ${JSON.stringify(endpoint)} is not an IPv6 address`);
  }
  if (parsed.family !== 6) throw new Rejected('endpoint', `srv6_endpoint ${JSON.stringify(endpoint)} is not an IPv6 address`);
  const vpc = (parsed.value >> 16n) & ((1n << BigInt(VPC_ID_BITS)) - 1n);
  return { vpc: formatHexIdentifier(vpc, VPC_ID_BITS), endpoint: formatAddress(6, parsed.value) };
}

/** A network must be address/prefix-length; it is kept verbatim. */
export function checkNetwork(network: string): string {
  try {
    parseCidr(network);
  } catch {
    throw new Rejected('network', `network ${JSON.stringify(network)} is not address/prefix-length`);
  }
  return network;
}

export interface RouterCoreOptions {
  store: Store;
  topicBase: string;
  holddownMs?: number;
  /** Milliseconds since the epoch; injected by tests. */
  clock?: () => number;
  logger: Logger;
  metrics: RouterMetrics;
}

export class RouterCore {
  private readonly holddownMs: number;
  private readonly clock: () => number;
  private readonly log: Logger;

  constructor(private readonly options: RouterCoreOptions) {
    this.holddownMs = options.holddownMs ?? DEFAULT_REJOIN_HOLDDOWN_MS;
    this.clock = options.clock ?? Date.now;
    this.log = options.logger;
  }

  /** Sets the registrations gauge from the store; call once at start. */
  async init(): Promise<void> {
    this.options.metrics.registrations.set(await this.options.store.count());
  }

  /** Handles one MQTT message; invalid ones are logged, counted and answered with nothing. */
  async handle(topic: string, payload: Uint8Array): Promise<Publication[]> {
    let worker: string | undefined;
    let message: Message | undefined;
    try {
      worker = workerOf(this.options.topicBase, topic);
      try {
        message = decodeMessage(payload);
      } catch (error) {
        if (error instanceof WireFormatError) throw new Rejected('payload', error.message);
        throw error;
      }
      return await this.dispatch(worker, message);
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      this.options.metrics.rejected.inc({ reason: error.reason });
      this.log.warn('dropped invalid message', {
        reason: error.reason,
        error: error.message,
        topic,
        bytes: payload.length,
        ...(worker !== undefined ? { worker } : {}),
        ...(message !== undefined ? { message } : {}),
      });
      return [];
    }
  }

  private async dispatch(worker: string, message: Message): Promise<Publication[]> {
    switch (message.kind) {
      case 'register':
      case 'deregister': {
        const { vpc, endpoint } = parseEndpoint(message.srv6Endpoint);
        const request: Request = { vpc, network: checkNetwork(message.network), endpoint, worker };
        this.options.metrics.messages.inc({ kind: message.kind });
        return this.registration(message.kind, request);
      }
      case 'resync':
        this.options.metrics.messages.inc({ kind: message.kind });
        return this.resync(worker, message.requestId);
      default:
        throw new Rejected('kind', `a worker may send register, deregister or resync, not ${message.kind}`);
    }
  }

  private async registration(kind: 'register' | 'deregister', request: Request): Promise<Publication[]> {
    const log = this.log.child({ worker: request.worker, network: request.network, endpoint: request.endpoint, vpc: request.vpc });
    const state = new VpcRegistrations(request.vpc, await this.read(() => this.options.store.vpc(request.vpc)));
    const plan: Plan = kind === 'register' ? planRegister(state, request, this.clock(), this.holddownMs) : planDeregister(state, request);
    if (plan.notFound) {
      log.warn('deregister of an unknown registration; ignored');
      return [];
    }
    await this.write(plan);
    log.info(kind === 'register' ? 'registered' : 'deregistered', { routes: plan.routes.length });
    return plan.routes.map(({ worker, route }) => this.publication(worker, route));
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
