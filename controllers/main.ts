// `galactic operator`: the VPC and VPCAttachment controllers (leader only), the
// pod admission webhook (every replica), metrics and health endpoints.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { type Logger, createLogger } from '../lib/log.js';
import { createRegistry, DEFAULT_METRICS_HOST, startHealthServer } from '../lib/metrics.js';
import { listenForShutdown } from '../lib/shutdown.js';
import { type CommandSpec, integerOption, parseOptions, stringOption, switchOption, type OptionSpec, UsageError } from '../lib/options.js';
import { ATTACHMENTS } from './context.js';
import { type Kube, createKube, NotLeaderError } from './kube.js';
import { LeaderElector } from './leader.js';
import { type OperatorMetrics, operatorMetrics } from './metrics.js';
import { DEFAULT_MTU, type VpcAttachment, keyOf } from './model.js';
import { isReady } from './status.js';
import { type RunningControllers, startControllers } from './operator.js';
import { SRV6_NET_ANNOTATION, type Srv6Pool, parseSrv6Pool } from './srv6-pool.js';
import { ReservationAllocator, watchReservationView } from './reservations.js';
import { startWebhookServer } from './webhook.js';

/** Parses 500ms, 15s, 2m, 1h. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`expected a duration such as 500ms, 15s or 2m, got ${JSON.stringify(text)}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

const durationOption = (o: Omit<OptionSpec<number>, 'parse' | 'placeholder'>): OptionSpec<number> => ({
  placeholder: 'DURATION',
  ...o,
  parse: parseDuration,
});

/** Marks an option that has a default, so its parsed value is typed without undefined. */
const defaulted = <T>(spec: OptionSpec<T>): OptionSpec<T> & { default: T } => spec as OptionSpec<T> & { default: T };

export const command = {
  name: 'operator',
  summary: 'Kubernetes operator: VPC/VPCAttachment controllers and the pod webhook',
  description: `
Assigns VPC and VPCAttachment identifiers, writes each attachment's Multus
NetworkAttachmentDefinition, keeps status and conditions, and serves the pod
admission webhook (mutating: adds the Multus annotation, and for attachments
with address pools reserves the pod's addresses and endpoint identifier as
VPCAddress/VPCEndpoint objects; validating: rejects pods whose attachment is
missing or not ready). The leader binds reservations to their pods and frees
those whose pod never came or is gone. Replicas elect a leader on a
coordination.k8s.io Lease; only the leader runs the controllers and writes,
every replica serves the webhook. See controllers/README.md.`,
  configFile: true,
  options: {
    kubeconfig: defaulted(stringOption({ flag: 'kubeconfig', env: 'KUBECONFIG', placeholder: 'FILE', description: 'kubeconfig file; default: in-cluster service account or ~/.kube/config' })),
    mtu: defaulted(integerOption({ flag: 'mtu', env: 'GALACTIC_MTU', min: 1280, max: 65535, default: DEFAULT_MTU, description: 'MTU written into every NetworkAttachmentDefinition (room for the outer IPv6 header and SRH)' })),
    namespace: defaulted(stringOption({ flag: 'namespace', env: 'POD_NAMESPACE', default: 'galactic-system', description: 'Namespace of the leader election Lease' })),
    leaderElect: defaulted(switchOption({ flag: 'leader-elect', env: 'LEADER_ELECT', default: true, description: 'Elect a leader among replicas (--leader-elect=false: this process always leads)' })),
    leaseName: defaulted(stringOption({ flag: 'lease-name', default: 'galactic-operator', description: 'Name of the leader election Lease' })),
    leaseDuration: defaulted(durationOption({ flag: 'lease-duration', default: 15_000, description: 'How long a lease is valid without renewal; followers wait this long for a silent leader' })),
    renewDeadline: defaulted(durationOption({ flag: 'renew-deadline', default: 10_000, description: 'A leader that could not renew for this long steps down (shorter than --lease-duration)' })),
    retryPeriod: defaulted(durationOption({ flag: 'retry-period', default: 2_000, description: 'Interval of lease renewals and acquisition attempts' })),
    identity: defaulted(stringOption({ flag: 'identity', env: 'POD_NAME', description: 'This replica\'s identity in the Lease; default: hostname-pid-random' })),
    webhookHost: defaulted(stringOption({ flag: 'webhook-host', default: '0.0.0.0', placeholder: 'ADDRESS', description: 'Address the HTTPS admission webhook listens on' })),
    webhookPort: defaulted(integerOption({ flag: 'webhook-port', env: 'WEBHOOK_PORT', min: 0, max: 65535, default: 9443, description: 'Port of the HTTPS admission webhook' })),
    webhookCertFile: stringOption({ flag: 'webhook-cert-file', env: 'WEBHOOK_CERT_FILE', placeholder: 'FILE', description: 'PEM certificate of the webhook (reloaded when it changes); without it the webhook is off' }),
    webhookKeyFile: stringOption({ flag: 'webhook-key-file', env: 'WEBHOOK_KEY_FILE', placeholder: 'FILE', description: 'PEM private key of the webhook' }),
    metricsHost: defaulted(stringOption({ flag: 'metrics-host', default: DEFAULT_METRICS_HOST, placeholder: 'ADDRESS', description: 'Address of /metrics, /healthz and /readyz (0.0.0.0 or :: for every address)' })),
    metricsPort: defaulted(integerOption({ flag: 'metrics-port', env: 'METRICS_PORT', min: 0, max: 65535, default: 8080, description: 'Port of /metrics, /healthz and /readyz (0: any free port)' })),
    resyncPeriod: defaulted(durationOption({ flag: 'resync-period', default: 60_000, description: 'Every this often every object is reconciled again, repairing missed events' })),
    installCrds: stringOption({ flag: 'install-crds', placeholder: 'DIR', description: 'Register the CRDs in this directory at start when absent (e.g. crds/)' }),
    srv6Pool: stringOption({ flag: 'srv6-pool', env: 'SRV6_POOL', placeholder: 'PREFIX', description: `Give every Node without one an srv6_net from this IPv6 prefix, recorded as its ${SRV6_NET_ANNOTATION} annotation (a hand-set one wins); off when unset` }),
    srv6NodePrefixLength: defaulted(integerOption({ flag: 'srv6-node-prefix-length', env: 'SRV6_NODE_PREFIX_LENGTH', min: 1, max: 64, default: 48, description: 'Length of the prefix each node gets from --srv6-pool' })),
  },
} satisfies CommandSpec<Record<string, OptionSpec<unknown>>>;

export interface OperatorConfig {
  kubeconfigPath?: string;
  mtu: number;
  namespace: string;
  leaderElect: boolean;
  leaseName: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  identity: string;
  webhook?: { host: string; port: number; certFile: string; keyFile: string };
  health?: { host: string; port: number };
  resyncIntervalMs: number;
  /** Test hook: the reservation controller's grace (default 60 s). */
  reservationGraceMs?: number;
  installCrdsDir?: string;
  srv6Pool?: Srv6Pool;
  concurrency?: { vpcs: number; attachments: number };
  logger?: Logger;
  /** Test hook: wraps the API adapter (e.g. to interleave a concurrent writer). */
  interpose?: (kube: Kube) => Kube;
}

export interface OperatorHandle {
  identity: string;
  metrics: OperatorMetrics;
  webhookPort?: number;
  healthPort?: number;
  isLeader(): boolean;
  /** The running controllers while this replica leads. */
  controllers(): RunningControllers | undefined;
  stop(): Promise<void>;
}

export const defaultIdentity = (): string => `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** Starts the operator in this process (the CLI, the tests and the benchmark use it). */
export async function startOperator(config: OperatorConfig): Promise<OperatorHandle> {
  const logger = config.logger ?? createLogger('operator');
  const metrics = operatorMetrics(createRegistry('operator'));
  let elector: LeaderElector | undefined;
  const direct = createKube({
    ...(config.kubeconfigPath ? { kubeconfigPath: config.kubeconfigPath } : {}),
    requests: metrics.requests,
    writeGuard: () => {
      if (elector && !elector.isLeader()) throw new NotLeaderError(`${config.identity} is not the leader; refusing to write`);
    },
  });
  const kube = config.interpose ? config.interpose(direct) : direct;

  // Controllers start and stop with leadership, one transition at a time.
  let controllers: RunningControllers | undefined;
  let transition: Promise<void> = Promise.resolve();
  let wantRunning = false;
  let starting: AbortController | undefined;
  const want = (running: boolean) => {
    wantRunning = running;
    if (!running) starting?.abort(); // a start still waiting (e.g. for CRDs) gives up
    void converge();
  };
  const converge = (): Promise<void> =>
    (transition = transition.then(async () => {
      try {
        if (wantRunning && !controllers) {
          starting = new AbortController();
          controllers = await startControllers({
            signal: starting.signal,
            kube,
            logger,
            metrics,
            mtu: config.mtu,
            resyncIntervalMs: config.resyncIntervalMs,
            ...(config.reservationGraceMs !== undefined ? { reservationGraceMs: config.reservationGraceMs } : {}),
            ...(config.concurrency ? { concurrency: config.concurrency } : {}),
            ...(config.kubeconfigPath ? { kubeconfigPath: config.kubeconfigPath } : {}),
            ...(config.installCrdsDir ? { installCrdsDir: config.installCrdsDir } : {}),
            ...(config.srv6Pool ? { srv6Pool: config.srv6Pool } : {}),
          });
          metrics.leader.set(1);
        }
        if (!wantRunning && controllers) {
          metrics.leader.set(0);
          const running = controllers;
          controllers = undefined;
          await running.stop();
        }
      } catch (error) {
        if (!wantRunning) return;
        logger.error('controllers failed to start; retrying', { error });
        setTimeout(() => void converge(), config.retryPeriodMs).unref();
      }
    }));

  const reservations = config.webhook
    ? watchReservationView(kube, (resource, error) => logger.warn('watch failed; restarting', { resource, component: 'webhook', error }))
    : undefined;
  const allocator = reservations && new ReservationAllocator(kube, reservations.view);
  const webhook = config.webhook
    ? await startWebhookServer({
        ...config.webhook,
        logger: logger.child({ component: 'webhook' }),
        // A ready attachment from the watch cache saves a request per admission;
        // anything else is read live (it may have become ready a moment ago).
        lookup: async (namespace, name) => {
          const cached = reservations?.view.attachment(keyOf({ namespace, name }));
          return cached && isReady(cached.status) ? cached : kube.get<VpcAttachment>(ATTACHMENTS, namespace, name);
        },
        allocate: async (pod, attachment) => {
          await reservations!.synced;
          return allocator!.allocate(pod, attachment);
        },
      })
    : undefined;
  if (!webhook) logger.warn('no --webhook-cert-file: the pod admission webhook is off');
  const health = config.health
    ? await startHealthServer({ ...config.health, registry: metrics.registry, checks: { webhook: () => !config.webhook || !!webhook } })
    : undefined;

  if (config.leaderElect) {
    elector = new LeaderElector(
      kube.leases,
      {
        identity: config.identity,
        namespace: config.namespace,
        name: config.leaseName,
        leaseDurationMs: config.leaseDurationMs,
        renewDeadlineMs: config.renewDeadlineMs,
        retryPeriodMs: config.retryPeriodMs,
      },
      {
        onStartedLeading: () => want(true),
        onStoppedLeading: () => want(false),
        onNewLeader: (holder) => logger.info('leader is', { holder }),
      },
      logger.child({ component: 'leader-election' }),
    );
    elector.start();
  } else {
    want(true);
  }

  let stopping: Promise<void> | undefined;
  return {
    identity: config.identity,
    metrics,
    ...(webhook ? { webhookPort: webhook.port } : {}),
    ...(health ? { healthPort: health.port } : {}),
    isLeader: () => (elector ? elector.isLeader() : true),
    controllers: () => controllers,
    stop: () =>
      (stopping ??= (async () => {
        want(false);
        await converge();
        await elector?.stop({ release: true });
        await transition;
        await webhook?.close();
        await reservations?.stop();
        await health?.close();
        logger.info('operator stopped', { identity: config.identity });
      })()),
  };
}

export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(command, argv);
  const logger = createLogger('operator');
  if (options.renewDeadline >= options.leaseDuration || options.retryPeriod >= options.renewDeadline) {
    process.stderr.write('galactic operator: need --retry-period < --renew-deadline < --lease-duration\n');
    return 2;
  }
  if (!!options.webhookCertFile !== !!options.webhookKeyFile) {
    process.stderr.write('galactic operator: --webhook-cert-file and --webhook-key-file go together\n');
    return 2;
  }
  let srv6Pool: Srv6Pool | undefined;
  try {
    srv6Pool = options.srv6Pool !== undefined ? parseSrv6Pool(options.srv6Pool, options.srv6NodePrefixLength) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const shutdown = listenForShutdown(logger);
  const handle = await startOperator({
    ...(options.kubeconfig ? { kubeconfigPath: options.kubeconfig } : {}),
    mtu: options.mtu,
    namespace: options.namespace,
    leaderElect: options.leaderElect,
    leaseName: options.leaseName,
    leaseDurationMs: options.leaseDuration,
    renewDeadlineMs: options.renewDeadline,
    retryPeriodMs: options.retryPeriod,
    identity: options.identity ?? defaultIdentity(),
    ...(options.webhookCertFile && options.webhookKeyFile
      ? { webhook: { host: options.webhookHost, port: options.webhookPort, certFile: options.webhookCertFile, keyFile: options.webhookKeyFile } }
      : {}),
    health: { host: options.metricsHost, port: options.metricsPort },
    resyncIntervalMs: options.resyncPeriod,
    ...(options.installCrds ? { installCrdsDir: options.installCrds } : {}),
    ...(srv6Pool ? { srv6Pool } : {}),
    logger,
  });
  logger.info('operator running', {
    identity: handle.identity,
    webhookPort: handle.webhookPort,
    metricsPort: handle.healthPort,
    leaderElection: options.leaderElect,
  });
  await shutdown.requested;
  await handle.stop();
  return 0;
}
