// The running router: store, optional embedded broker, MQTT, health and
// metrics, and the message stream (MQTT → decode → validate → plan → store →
// publish → broker acknowledged → acknowledge the message), handled one
// message at a time in arrival order (router/pipeline.ts); and anti-entropy,
// a lib/reconcile loop per worker (router/worker-loops.ts) that answers its
// Summaries, repairs its routes and asks it for a Summary when it has been
// silent, also after every (re)subscribe.
import type { Subscription } from 'rxjs';
import { withTimeout } from '../lib/wait.js';
import type { Logger } from '../lib/log.js';
import { BadRequest, type HealthServer, startHealthServer } from '../lib/metrics.js';
import type { MqttSettings } from '../lib/mqtt.js';
import { type RunningBroker, type BrokerUser, startBroker } from './broker.js';
import { type Publication, RouterCore, type RouterCoreOptions, sendFilter } from './core.js';
import { type RouterMetrics, routerMetrics } from './metrics.js';
import { openStore, type Store } from './store.js';
import { checkWorkerName, Rejected } from './validation.js';
import { firstClaimBindings, type WorkerBindings } from './ownership.js';
import { MessagePipeline } from './pipeline.js';
import { inProcessTransport } from './transport-aedes.js';
import { connectRouterTransport, type InboundMessage, type RouterTransport } from './transport.js';
import { WorkerLoops, type WorkerLoopsOptions } from './worker-loops.js';

/** Attempts at a message that fails for a non-input reason (the store) before it is set aside. */
export const DEFAULT_MAX_ATTEMPTS = 6;
/** A publish the broker has not acknowledged by then counts as failed (a lost packet is not resent within a session). */
export const PUBLISH_ACK_TIMEOUT_MS = 5_000;
/** Set-aside messages listed in /state. */
const SET_ASIDE_KEPT = 100;

export interface SetAsideMessage {
  topic: string;
  bytes: number;
  attempts: number;
  reason: string;
  at: string;
}

export interface RouterConfig {
  /** Without a url, the embedded broker (which must then be configured). */
  mqtt: Omit<MqttSettings, 'url'> & { url?: string };
  topicBase: string;
  dbUrl: string;
  holddownMs: number;
  /** Starts an Aedes broker in this process on this port (0: any free port). */
  embeddedBroker?: { port: number; host?: string; users?: BrokerUser[]; maxMessageBytes?: number };
  health?: { port: number; host?: string };
  logger: Logger;
  clock?: () => number;
  /** Worker → srv6_net (`--workers FILE`); without it the first claim binds (router/ownership.ts). */
  workers?: WorkerBindings;
  /** Input limits (router/validation.ts, router/quota.ts); defaults when absent. */
  limits?: Pick<RouterCoreOptions, 'maxMessageBytes' | 'maxRegistrationsPerWorker' | 'resyncRate'>;
  /** Attempts before a failing message is set aside (default DEFAULT_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** First retry delay of a failing message; doubles per attempt (default 100 ms). */
  retryInitialMs?: number;
  /** Default PUBLISH_ACK_TIMEOUT_MS. */
  publishAckTimeoutMs?: number;
  /** Anti-entropy per worker (router/worker-loops.ts); defaults when absent. */
  antiEntropy?: Pick<WorkerLoopsOptions, 'intervalMs' | 'summaryTimeoutMs' | 'backoff'>;
  /** Called when the router cannot go on (store connection lost); it has stopped by then. */
  onFatal?: (error: Error) => void;
}

export interface RouterHandle {
  metrics: RouterMetrics;
  store: Store;
  broker?: RunningBroker;
  healthPort?: number;
  /** Resolves once the broker granted the subscription. */
  ready: Promise<void>;
  /** Finishes the messages in hand, flushes publishes, disconnects, closes the store. */
  stop(): Promise<void>;
}

export async function startRouter(config: RouterConfig): Promise<RouterHandle> {
  const log = config.logger;
  const metrics = routerMetrics();
  let stopping = false;
  let handle: RouterHandle | undefined;
  const fatal = (error: Error): void => {
    if (stopping) return;
    log.error('router cannot continue', { error });
    void handle?.stop().finally(() => config.onFatal?.(error));
  };
  // Health first: a standby waiting for the PostgreSQL lock is alive but not ready.
  let transport: RouterTransport | undefined;
  let subscribed = false;
  let storeOpen = false;
  /** Stages of the message stream failing for a non-input reason (the store, the broker acknowledging publishes): /readyz says unready. */
  const failing = new Set<'handle' | 'publish'>();
  const setAside: SetAsideMessage[] = [];
  let core: RouterCore | undefined;
  const health: HealthServer | undefined = config.health
    ? await startHealthServer({
        port: config.health.port,
        ...(config.health.host ? { host: config.health.host } : {}),
        registry: metrics.registry,
        checks: { mqtt: () => (transport?.connected$.value ?? false) && subscribed, store: () => storeOpen && !stopping && failing.size === 0 },
        state: async (query) => {
          const worker = query.get('worker');
          if (!worker || !core) return { hint: 'GET /state?worker=NAME: the routes that worker should hold', setAside };
          try {
            checkWorkerName(worker);
          } catch (error) {
            throw error instanceof Rejected ? new BadRequest(error.message) : error;
          }
          return { worker, routes: await core.routesFor(worker) };
        },
        onError: (error, path) => log.error('answering an HTTP request failed', { path, error }),
      })
    : undefined;
  let broker: RunningBroker | undefined;
  let store: Store;
  try {
    broker = config.embeddedBroker
      ? await startBroker({ ...config.embeddedBroker, topicBase: config.topicBase, logger: log.child({ part: 'broker' }) })
      : undefined;
    store = await openStore(config.dbUrl, { logger: log, onLost: fatal });
    storeOpen = true;
  } catch (error) {
    await broker?.close();
    await health?.close();
    throw error;
  }
  core = new RouterCore({
    store,
    topicBase: config.topicBase,
    holddownMs: config.holddownMs,
    logger: log,
    metrics,
    bindings: config.workers ?? firstClaimBindings(store, log),
    ...config.limits,
    ...(config.clock ? { clock: config.clock } : {}),
  });
  await core.init();
  log.info('store open', { kind: store.kind, registrations: await store.count() });

  // With its own broker and no URL, the router talks to it in process (router/transport-aedes.ts).
  const url = config.mqtt.url;
  if (url === undefined && !broker) throw new Error('no MQTT broker: give an MQTT URL or an embedded broker');
  const mqtt: RouterTransport = url !== undefined ? connectRouterTransport({ ...config.mqtt, url }, log) : inProcessTransport(broker!.aedes, config.mqtt.qos, log);
  transport = mqtt;

  const publishAll = (publications: Publication[]): Promise<unknown> => {
    let adds = 0;
    let deletes = 0;
    for (const p of publications) if (p.message.kind === 'route') p.message.status === 'ADD' ? adds++ : deletes++;
    if (adds > 0) metrics.routes.inc({ status: 'ADD' }, adds);
    if (deletes > 0) metrics.routes.inc({ status: 'DELETE' }, deletes);
    const acknowledged = Promise.all(publications.map((p) => mqtt.publish(p.topic, p.payload)));
    return withTimeout(acknowledged, config.publishAckTimeoutMs ?? PUBLISH_ACK_TIMEOUT_MS, `the broker to acknowledge ${publications.length} publishes`);
  };

  /**
   * One at a time: handling a message up to queueing its publications, and an
   * anti-entropy route set from its store read to its queueing, so the
   * publications reach each worker in the order of the store states they
   * come from (router/worker-loops.ts, `inTurn`).
   */
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work);
    turn = run.catch(() => undefined);
    return run;
  };

  /** Retained messages are dropped: a retained message is a replay of the past (SPEC: never published retained). */
  const handleMessage = async (inbound: InboundMessage): Promise<Publication[]> => {
    if (!inbound.retained) return core.handle(inbound.topic, inbound.payload);
    metrics.rejected.inc({ reason: 'retained' });
    log.warn('dropped a retained message', { topic: inbound.topic, bytes: inbound.payload.length });
    return [];
  };
  const pipeline = new MessagePipeline({
    handle: handleMessage,
    publish: publishAll,
    inTurn,
    maxAttempts: config.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryInitialMs: config.retryInitialMs ?? 100,
    stopping: () => stopping,
    onSuccess: (stage) => failing.delete(stage),
    onFailure: (stage, inbound, attempt, error, retryInMs) => {
      failing.add(stage);
      // stage publish: the broker did not acknowledge the routes in time; they are published again, never handled again.
      if (retryInMs !== undefined) return log.error('handling a message failed; retrying', { topic: inbound.topic, stage, attempt, retryInMs, error });
      metrics.setAside.inc();
      const reason = error instanceof Error ? error.message : String(error);
      setAside.push({ topic: inbound.topic, bytes: inbound.payload.length, attempts: attempt, reason, at: new Date().toISOString() });
      if (setAside.length > SET_ASIDE_KEPT) setAside.shift();
      log.error('handling a message failed repeatedly; set aside', { topic: inbound.topic, stage, attempts: attempt, error });
    },
  });
  const loops = new WorkerLoops({
    source: core,
    publish: (worker, messages) => publishAll(messages.map((message) => core.publication(worker, message))),
    inTurn,
    ...config.antiEntropy,
    ...(config.clock ? { clock: config.clock } : {}),
    onRepair: () => metrics.repairs.inc({ set: 'routes' }),
    logger: log.child({ part: 'anti-entropy' }),
  });
  const heard = core.heard$.subscribe((message) => loops.heard(message));
  const subscription: Subscription = pipeline.run(mqtt.messages$, (error: unknown) => fatal(error instanceof Error ? error : new Error(String(error))));

  const filter = sendFilter(config.topicBase);
  mqtt.start();
  // (Re)subscribe on every connect: cheap, and covers a broker that lost its sessions.
  const ready = new Promise<void>((resolve) => {
    mqtt.connected$.subscribe((connected) => {
      if (!connected) return;
      mqtt.subscribe(filter).then(
        () => {
          if (!subscribed) log.info('router subscribed', { filter, store: store.kind, holddownMs: config.holddownMs });
          subscribed = true;
          resolve();
          // Whatever workers sent before this subscription may be lost: each worker's loop asks for its Summary.
          return core
            .workers()
            .then((workers) => {
              loops.resubscribed(workers);
              log.info('asking workers for anti-entropy summaries', { workers: loops.size });
            })
            .catch((error: unknown) => log.warn('listing the workers to ask for summaries failed; their periodic summaries will come', { error }));
        },
        (error: unknown) => log.error('subscription failed', { filter, error }),
      );
    });
  });

  handle = {
    metrics,
    store,
    ...(broker ? { broker } : {}),
    ...(health ? { healthPort: health.port } : {}),
    ready,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      log.info('router stopping');
      await pipeline.settled();
      heard.unsubscribe();
      loops.stop();
      // Messages that arrive from now on stay unacknowledged with the broker.
      await mqtt.close();
      subscription.unsubscribe();
      await store.close();
      await health?.close();
      await broker?.close();
      log.info('router stopped');
    },
  };
  return handle;
}
