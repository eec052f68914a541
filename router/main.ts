// `galactic router`: registrations in, SRv6 routes out over MQTT (SPEC §9).
import { antiEntropyIntervalOption } from '../lib/anti-entropy.js';
import { createLogger } from '../lib/log.js';
import { listenForShutdown } from '../lib/shutdown.js';
import { DEFAULT_METRICS_HOST } from '../lib/metrics.js';
import { mqttIdentity, parseQos, type Qos } from '../lib/mqtt.js';
import { type CommandSpec, integerOption, type OptionSpec, parseOptions, stringOption, UsageError } from '../lib/options.js';
import { loadCredentials } from './broker.js';
import { FileBindings } from './ownership.js';
import { DEFAULT_MAX_REGISTRATIONS_PER_WORKER, DEFAULT_RESYNC_BURST, DEFAULT_RESYNC_PER_MINUTE } from './quota.js';
import { startRouter } from './service.js';
import { DEFAULT_DB_URL, describeDbUrl } from './store.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './validation.js';

/** Marks an option that has a default, so its parsed value is typed without undefined. */
const defaulted = <T>(spec: OptionSpec<T>): OptionSpec<T> & { default: T } => spec as OptionSpec<T> & { default: T };

const qosOption = defaulted<Qos>({ flag: 'mqtt-qos', env: 'MQTT_QOS', placeholder: '0|1|2', default: 1, description: 'QoS of subscriptions and publishes', parse: parseQos });

export const command = {
  name: 'router',
  summary: 'Central route computation: registrations in, SRv6 routes out over MQTT',
  description: `
Subscribes to <base>/+/send, keeps a store of registrations (vpc, network,
endpoint, worker, created) and publishes route ADDs and DELETEs to
<base>/<worker>/receive, per SPEC §9; answers an agent's resync request with
every route it should have, and keeps each worker's routes in line with
the store by anti-entropy (summaries compared, full sets on a difference,
a silent worker asked). The store is an SQLite file by default,
:memory: for throwaway runs, or postgres://… for routers run highly available
(one active, the others wait on a lock). With --embedded-broker the router
also runs the MQTT broker, so one process is a complete control plane.
Each worker may register only endpoints in its own srv6_net: give
--workers FILE (worker: prefix), else a worker's first endpoint binds it to
that /64. Invalid input, foreign endpoints and messages over a quota are
logged, counted and dropped. See router/README.md.`,
  configFile: true,
  options: {
    mqttUrl: stringOption({ flag: 'mqtt-url', env: 'MQTT_URL', placeholder: 'URL', description: 'MQTT broker, e.g. mqtt://mqtt:1883 (required unless --embedded-broker, whose broker the router then reaches in process)' }),
    mqttClientId: stringOption({ flag: 'mqtt-clientid', env: 'MQTT_CLIENTID', placeholder: 'ID', description: 'MQTT client id; with QoS > 0 the session persists, so messages sent while the router is down are kept' }),
    mqttUsername: stringOption({ flag: 'mqtt-username', env: 'MQTT_USERNAME', description: 'MQTT user name' }),
    mqttPassword: stringOption({ flag: 'mqtt-password', env: 'MQTT_PASSWORD', description: 'MQTT password' }),
    mqttPasswordFile: stringOption({ flag: 'mqtt-password-file', env: 'MQTT_PASSWORD_FILE', placeholder: 'FILE', description: 'File with the MQTT password, read at every (re)connect; wins over --mqtt-password (a projected service account token for galactic broker --kubernetes-auth)' }),
    mqttQos: qosOption,
    topicBase: defaulted(stringOption({ flag: 'mqtt-topic-base', env: 'MQTT_TOPIC_BASE', default: 'galactic/', description: 'Topic prefix: agents publish to <base><worker>/send and receive on <base><worker>/receive' })),
    dbUrl: defaulted(stringOption({ flag: 'db-url', env: 'DB_URL', placeholder: 'URL', default: DEFAULT_DB_URL, description: 'Registration store: an SQLite file path (or sqlite:PATH), :memory:, or postgres://user:pass@host/db' })),
    holddown: defaulted(integerOption({ flag: 'rejoin-holddown', env: 'ROUTER_REJOIN_HOLDDOWN', min: 0, placeholder: 'SECONDS', default: 10, description: 'A worker that registered an endpoint this recently is not sent the peer routes again (re-join)' })),
    embeddedBroker: integerOption({ flag: 'embedded-broker', env: 'ROUTER_EMBEDDED_BROKER', min: 0, max: 65535, placeholder: 'PORT', description: 'Run an Aedes MQTT broker in this process on this port' }),
    brokerCredentials: stringOption({ flag: 'broker-credentials', env: 'BROKER_CREDENTIALS', placeholder: 'FILE', description: 'Credentials file of the embedded broker (see galactic broker); without it the broker is anonymous' }),
    brokerHost: defaulted(stringOption({ flag: 'broker-host', env: 'BROKER_HOST', default: '::', placeholder: 'ADDRESS', description: 'Address the embedded broker listens on (:: is every IPv6 and IPv4 address)' })),
    workers: stringOption({ flag: 'workers', env: 'ROUTER_WORKERS', placeholder: 'FILE', description: 'YAML or JSON mapping of worker name to its srv6_net (node1: 2001:db8:1::/64); a worker may register only endpoints in it. Without it a worker\'s first endpoint binds it to that /64 (kept in the store)' }),
    maxMessageBytes: defaulted(integerOption({ flag: 'max-message-bytes', env: 'MQTT_MAX_MESSAGE_BYTES', min: 1024, placeholder: 'BYTES', default: DEFAULT_MAX_MESSAGE_BYTES, description: 'Largest message accepted (router and embedded broker); larger ones are dropped' })),
    maxRegistrations: defaulted(integerOption({ flag: 'max-registrations-per-worker', env: 'ROUTER_MAX_REGISTRATIONS_PER_WORKER', min: 1, default: DEFAULT_MAX_REGISTRATIONS_PER_WORKER, description: 'Registrations one worker may have stored; further ones are dropped' })),
    resyncBurst: defaulted(integerOption({ flag: 'resync-burst', env: 'ROUTER_RESYNC_BURST', min: 1, default: DEFAULT_RESYNC_BURST, description: 'Resync requests a worker may send at once' })),
    resyncPerMinute: defaulted(integerOption({ flag: 'resync-per-minute', env: 'ROUTER_RESYNC_PER_MINUTE', min: 1, default: DEFAULT_RESYNC_PER_MINUTE, description: 'Resync requests per worker and minute after the burst; more are dropped' })),
    antiEntropyInterval: antiEntropyIntervalOption('A worker not heard from for this long is asked for its anti-entropy summary (again with backoff while it does not answer)'),
    metricsHost: defaulted(stringOption({ flag: 'metrics-host', env: 'METRICS_HOST', default: DEFAULT_METRICS_HOST, placeholder: 'ADDRESS', description: 'Address of /metrics, /healthz, /readyz and /state (0.0.0.0 or :: for every address)' })),
    metricsPort: integerOption({ flag: 'metrics-port', env: 'METRICS_PORT', min: 0, max: 65535, placeholder: 'PORT', description: 'Port of /metrics, /healthz and /readyz (0: any free port); off when unset' }),
  },
} satisfies CommandSpec<Record<string, OptionSpec<unknown>>>;

export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(command, argv);
  const logger = createLogger('router');
  const embedded = options.embeddedBroker;
  if (options.mqttUrl === undefined && embedded === undefined) throw new UsageError('missing required option --mqtt-url or $MQTT_URL (or --embedded-broker PORT)');
  if (options.brokerCredentials !== undefined && embedded === undefined) throw new UsageError('--broker-credentials needs --embedded-broker');
  let users;
  let workers;
  try {
    users = options.brokerCredentials !== undefined ? loadCredentials(options.brokerCredentials) : undefined;
    workers = options.workers !== undefined ? FileBindings.load(options.workers) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let exitCode = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const shutdown = listenForShutdown(logger);
  const router = await startRouter({
    mqtt: {
      ...(options.mqttUrl !== undefined ? { url: options.mqttUrl } : {}),
      qos: options.mqttQos,
      ...mqttIdentity(options),
    },
    topicBase: options.topicBase,
    dbUrl: options.dbUrl,
    holddownMs: options.holddown * 1000,
    ...(embedded !== undefined ? { embeddedBroker: { port: embedded, host: options.brokerHost, maxMessageBytes: options.maxMessageBytes, ...(users ? { users } : {}) } } : {}),
    ...(workers ? { workers } : {}),
    limits: {
      maxMessageBytes: options.maxMessageBytes,
      maxRegistrationsPerWorker: options.maxRegistrations,
      resyncRate: { burst: options.resyncBurst, perMinute: options.resyncPerMinute },
    },
    antiEntropy: { intervalMs: options.antiEntropyInterval * 1000 },
    ...(options.metricsPort !== undefined ? { health: { port: options.metricsPort, host: options.metricsHost } } : {}),
    logger,
    onFatal: () => {
      exitCode = 1;
      done();
    },
  });
  logger.info('router started', {
    store: describeDbUrl(options.dbUrl),
    ...(router.broker ? { embeddedBrokerPort: router.broker.port } : {}),
    ...(router.healthPort !== undefined ? { metricsPort: router.healthPort } : {}),
  });
  await Promise.race([finished, shutdown.requested]);
  shutdown.dispose();
  if (shutdown.signal.aborted) {
    await router.stop().catch((error: unknown) => {
      logger.error('shutdown failed', { error });
      exitCode = 1;
    });
  }
  return exitCode;
}
