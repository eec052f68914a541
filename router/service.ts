// The running router: store, optional embedded broker, MQTT, health and
// metrics, and the message stream (MQTT → decode → validate → plan → store →
// publish), one message at a time in arrival order.
import { concatMap, type Subscription } from 'rxjs';
import { backoffDelay } from '../lib/backoff.js';
import type { Logger } from '../lib/log.js';
import { type HealthServer, startHealthServer } from '../lib/metrics.js';
import type { MqttSettings } from '../lib/mqtt.js';
import { type RunningBroker, type BrokerUser, startBroker } from './broker.js';
import { RouterCore, sendFilter } from './core.js';
import { type RouterMetrics, routerMetrics } from './metrics.js';
import { openStore, type Store } from './store.js';
import { connectRouterTransport, type InboundMessage, type RouterTransport } from './transport.js';

/** Route publishes awaiting the broker's PUBACK before the router takes the next message. */
export const DEFAULT_MAX_INFLIGHT = 1000;

export interface RouterConfig {
  /** Without a url, the embedded broker (which must then be configured). */
  mqtt: Omit<MqttSettings, 'url'> & { url?: string };
  topicBase: string;
  dbUrl: string;
  holddownMs: number;
  /** Starts an Aedes broker in this process on this port (0: any free port). */
  embeddedBroker?: { port: number; host?: string; users?: BrokerUser[] };
  health?: { port: number; host?: string };
  logger: Logger;
  clock?: () => number;
  maxInflight?: number;
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
  /** Finishes the message in hand, flushes publishes, disconnects, closes the store. */
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
  let core: RouterCore | undefined;
  const health: HealthServer | undefined = config.health
    ? await startHealthServer({
        port: config.health.port,
        ...(config.health.host ? { host: config.health.host } : {}),
        registry: metrics.registry,
        checks: { mqtt: () => (transport?.connected$.value ?? false) && subscribed, store: () => storeOpen && !stopping },
        state: async (query) => {
          const worker = query.get('worker');
          return worker && core ? { worker, routes: await core.routesFor(worker) } : { hint: 'GET /state?worker=NAME: the routes that worker should hold' };
        },
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
    ...(config.clock ? { clock: config.clock } : {}),
  });
  await core.init();
  log.info('store open', { kind: store.kind, registrations: await store.count() });

  const url = config.mqtt.url ?? (broker ? localBrokerUrl(config.embeddedBroker?.host, broker.port) : undefined);
  if (url === undefined) throw new Error('no MQTT broker: give an MQTT URL or an embedded broker');
  const mqtt: RouterTransport = connectRouterTransport({ ...config.mqtt, url }, log);
  transport = mqtt;

  /** Handles one message; store failures are retried with backoff, so no message is skipped. */
  const process = async (inbound: InboundMessage): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if (stopping) return inbound.release();
      try {
        const publications = await core.handle(inbound.topic, inbound.payload);
        let adds = 0;
        let deletes = 0;
        for (const p of publications) {
          mqtt.publish(p.topic, p.payload).catch((error: unknown) => log.warn('publish failed', { topic: p.topic, error }));
          if (p.message.kind === 'route') p.message.status === 'ADD' ? adds++ : deletes++;
        }
        if (adds > 0) metrics.routes.inc({ status: 'ADD' }, adds);
        if (deletes > 0) metrics.routes.inc({ status: 'DELETE' }, deletes);
        // Bound what is in flight before taking the next message.
        await mqtt.drain(config.maxInflight ?? DEFAULT_MAX_INFLIGHT);
        return inbound.ack();
      } catch (error) {
        const delay = backoffDelay(attempt, { maxMs: 10_000 });
        log.error('handling a message failed; retrying', { topic: inbound.topic, attempt, retryInMs: delay, error });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  let inHand: Promise<void> = Promise.resolve();
  const subscription: Subscription = mqtt.messages$
    .pipe(concatMap((inbound) => (inHand = process(inbound))))
    .subscribe({ error: (error: unknown) => fatal(error instanceof Error ? error : new Error(String(error))) });

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
      await inHand;
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

/** How this process reaches its own broker: over loopback when it listens on every address, else at that address. */
export function localBrokerUrl(host: string | undefined, port: number): string {
  const address = host === undefined || host === '::' || host === '0.0.0.0' ? '127.0.0.1' : host;
  return `mqtt://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
