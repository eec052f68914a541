// The controllers' runtime: a @dot-i/k8s-operator Operator whose init()
// registers the CRDs (optionally) and the three watches; events only name keys,
// which go into one keyed work queue per controller (lib/workqueue). Workers
// start once every watch has listed, so no pass ever runs on a partial cache.
import operatorModule, { type ResourceEvent } from '@dot-i/k8s-operator';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Logger } from '../lib/log.js';
import { type WorkQueue, type WorkResult, createWorkQueue } from '../lib/workqueue.js';
import type { Counter } from '../lib/metrics.js';
import type { OperatorMetrics } from './metrics.js';
import { reconcileAttachment } from './attachment-controller.js';
import { ADDRESSES, ATTACHMENTS, type ControllerContext, ENDPOINTS, KeyedLock, NADS, VPCS, attachmentsOf } from './context.js';
import { type Kube, type KubeObject, PODS, type Resource, type ResourceWatch, type WatchedCache, watchResource } from './kube.js';
import { ClaimIndex, RESERVATION_GRACE_MS, claimOf, reconcileReservation } from './reservation-controller.js';
import {
  CLAIM_LABEL,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  type NetworkAttachmentDefinition,
  type Pod,
  type Reservation,
  type Vpc,
  type VpcAttachment,
  keyOf,
  vpcKeyOf,
} from './model.js';
import { controllerOf } from './nad.js';
import { startNodePrefixAllocator } from './node-prefix-controller.js';
import type { Srv6Pool } from './srv6-pool.js';
import { Store } from './store.js';
import { reconcileVpc } from './vpc-controller.js';

const { default: Operator, ResourceMetaImpl } = operatorModule;

type EventHandler = (event: ResourceEvent) => Promise<void>;

const POOL_STATUS_DELAY_MS = 1_000;
type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface GalacticOperatorOptions {
  kube: Kube;
  logger: Logger;
  /** kubeconfig for @dot-i's own client (CRD registration); default as client-node finds it. */
  kubeconfigPath?: string;
  /** Directory of CRD YAML files to apply at start (created or updated). */
  installCrdsDir?: string;
  onVpc: EventHandler;
  onAttachment: EventHandler;
  onNad: EventHandler;
  onReservation: EventHandler;
  onPod: EventHandler;
  requests?: Counter<'verb' | 'resource'>;
}

/**
 * The @dot-i/k8s-operator Operator, with watchResource running on a
 * client-node 1.x informer (list + watch from a resourceVersion, relist on 410,
 * restart with backoff) instead of @dot-i's own watch, which exits the process
 * on any watch error and throws on ERROR events (see README.md).
 */
export class GalacticOperator extends Operator {
  private readonly watches = new Map<string, ResourceWatch<KubeObject>>();

  constructor(private readonly options: GalacticOperatorOptions) {
    const log = options.logger.child({ component: 'k8s-operator' });
    super({ debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) });
    if (options.kubeconfigPath) this.kubeConfig.loadFromFile(options.kubeconfigPath);
  }

  protected async init(): Promise<void> {
    const dir = this.options.installCrdsDir;
    if (dir) {
      // Not @dot-i's registerCustomResourceDefinition: its client-node 0.20
      // model drops fields it does not know (selectableFields), and it never
      // updates an existing CRD. Server-side apply does both right.
      for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        for (const doc of parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'))) {
          const crd = doc.toJS() as KubeObject;
          await this.options.kube.apply(crd);
          this.options.logger.info('custom resource definition applied', { crd: crd.metadata.name });
        }
      }
    }
    const watches: Array<[Resource, EventHandler]> = [
      [VPCS, this.options.onVpc],
      [ATTACHMENTS, this.options.onAttachment],
      [NADS, this.options.onNad],
      [ADDRESSES, this.options.onReservation],
      [ENDPOINTS, this.options.onReservation],
      [PODS, this.options.onPod],
    ];
    await Promise.all(watches.map(([r, handler]) => this.watchResource(r.group, r.version, r.plural, handler)));
  }

  /** Resolves once the resource is listed; cluster-wide (namespace is not supported). */
  protected override async watchResource(group: string, version: string, plural: string, onEvent: EventHandler): Promise<void> {
    const resource: Resource = { group, version, plural };
    const watch = watchResource<KubeObject>(
      this.options.kube,
      resource,
      {
        onEvent: (type, object) => {
          // Items of core lists (pods) come without apiVersion and kind, which @dot-i's meta requires.
          const typed = { apiVersion: group ? `${group}/${version}` : version, kind: plural, ...object };
          const event = { type, object, meta: ResourceMetaImpl.createWithPlural(plural, typed) } as ResourceEvent;
          onEvent(event).catch((error: unknown) => this.options.logger.error('event handler failed', { plural, error }));
        },
        onError: (error, retryInMs) => this.options.logger.warn('watch failed; restarting', { resource: plural, retryInMs, error }),
      },
      {
        ...(plural === NADS.plural ? { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` } : {}),
        // Only pods admitted with a pool attachment (the webhook labels them).
        ...(plural === PODS.plural ? { labelSelector: CLAIM_LABEL } : {}),
        ...(this.options.requests ? { requests: this.options.requests } : {}),
      },
    );
    this.watches.set(plural, watch);
    await watch.synced;
    this.options.logger.info('watching', { resource: `${plural}.${group}` });
  }

  cache<T>(resource: Resource): WatchedCache<T> {
    const watch = this.watches.get(resource.plural);
    if (!watch) throw new Error(`${resource.plural} is not watched`);
    return watch.cache as WatchedCache<T>;
  }

  override stop(): void {
    void this.shutdown();
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.watches.values()].map((watch) => watch.stop()));
    this.watches.clear();
  }
}

export interface ControllerOptions {
  kube: Kube;
  logger: Logger;
  metrics: OperatorMetrics;
  mtu: number;
  resyncIntervalMs: number;
  /** How long the reservation controller waits before freeing an unclaimed or orphaned reservation (default 60 s). */
  reservationGraceMs?: number;
  concurrency?: { vpcs: number; attachments: number };
  kubeconfigPath?: string;
  installCrdsDir?: string;
  /** Assign each Node its srv6_net from this pool (off when absent). */
  srv6Pool?: Srv6Pool;
  /** Aborts a start that is still waiting (e.g. for the CRDs to exist). */
  signal?: AbortSignal;
}

export interface RunningControllers {
  context: ControllerContext;
  queues: { vpcs: WorkQueue; attachments: WorkQueue; reservations: WorkQueue };
  stop(): Promise<void>;
}

/** Starts watches, waits for them to list, then starts both controllers. */
export async function startControllers(options: ControllerOptions): Promise<RunningControllers> {
  const { metrics } = options;
  let queues: RunningControllers['queues'] | undefined;
  let context: ControllerContext | undefined;
  const enqueueAttachmentsOf = (vpcKey: string) => {
    if (!context || !queues) return;
    for (const attachment of attachmentsOf(context, vpcKey)) queues.attachments.add(keyOf(attachment.metadata));
  };
  // Filled from the first list on (before the workers start), so they are complete.
  const podClaims = new ClaimIndex();
  const reservationClaims = new ClaimIndex();
  const operator = new GalacticOperator({
    kube: options.kube,
    logger: options.logger,
    requests: metrics.requests,
    ...(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}),
    ...(options.installCrdsDir ? { installCrdsDir: options.installCrdsDir } : {}),
    // Events before the workers start are dropped: the first resync covers them.
    onVpc: async (event) => {
      const key = keyOf(event.meta);
      queues?.vpcs.add(key);
      enqueueAttachmentsOf(key);
    },
    onAttachment: async (event) => {
      queues?.attachments.add(keyOf(event.meta));
      const vpcKey = vpcKeyOf(event.object as unknown as VpcAttachment);
      if (event.type === 'DELETED' || context?.vpcs.get(vpcKey)?.metadata.deletionTimestamp) queues?.vpcs.add(vpcKey);
    },
    onNad: async (event) => {
      if (controllerOf(event.object as unknown as NetworkAttachmentDefinition)) queues?.attachments.add(keyOf(event.meta));
    },
    onReservation: async (event) => {
      const reservation = event.object as unknown as Reservation;
      reservationClaims.update(event.type as WatchEventType, reservation);
      queues?.reservations.add(keyOf(event.meta));
      // Pool usage in the attachment's status: one pass per second at most during a burst of pods.
      queues?.attachments.addAfter(keyOf({ namespace: event.meta.namespace, name: reservation.spec.attachment }), POOL_STATUS_DELAY_MS);
    },
    onPod: async (event) => {
      const pod = event.object as unknown as Pod;
      podClaims.update(event.type as WatchEventType, pod);
      const claim = claimOf(pod);
      if (!claim) return;
      for (const key of reservationClaims.keys(event.meta.namespace ?? '', claim)) queues?.reservations.add(key);
    },
  });
  const abort = () => void operator.shutdown();
  options.signal?.addEventListener('abort', abort);
  try {
    await operator.start();
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  if (options.signal?.aborted) {
    await operator.shutdown();
    throw new Error('controller start aborted');
  }

  const ctx: ControllerContext = {
    kube: options.kube,
    vpcs: new Store<Vpc>(operator.cache<Vpc>(VPCS)),
    attachments: new Store<VpcAttachment>(operator.cache<VpcAttachment>(ATTACHMENTS)),
    nads: new Store<NetworkAttachmentDefinition>(operator.cache<NetworkAttachmentDefinition>(NADS)),
    addresses: new Store<Reservation>(operator.cache<Reservation>(ADDRESSES)),
    endpoints: new Store<Reservation>(operator.cache<Reservation>(ENDPOINTS)),
    pods: new Store<Pod>(operator.cache<Pod>(PODS)),
    orphanedSince: new Map(),
    podClaims,
    clock: Date.now,
    reservationGraceMs: options.reservationGraceMs ?? RESERVATION_GRACE_MS,
    locks: new KeyedLock(),
    mtu: options.mtu,
    logger: options.logger,
    now: () => new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    selectByVpc: true,
  };
  context = ctx;
  const makeQueue = (name: string, concurrency: number, process: (key: string) => Promise<WorkResult | void>, listKeys: () => string[]) => {
    const queue = createWorkQueue({
      name,
      concurrency,
      backoff: { initialMs: 50, maxMs: 30_000 },
      resyncIntervalMs: options.resyncIntervalMs,
      listKeys,
      logger: options.logger,
      process: async (key) => {
        const end = metrics.duration.startTimer({ controller: name });
        try {
          return await process(key);
        } finally {
          end();
        }
      },
    });
    queue.results$.subscribe((result) => metrics.passes.inc({ controller: name, outcome: result.ok ? 'ok' : 'error' }));
    return queue;
  };
  const running = {
    vpcs: makeQueue('vpc', options.concurrency?.vpcs ?? 4, (key) => reconcileVpc(ctx, key), () => ctx.vpcs.keys()),
    attachments: makeQueue(
      'vpcattachment',
      options.concurrency?.attachments ?? 16,
      (key) => reconcileAttachment(ctx, key),
      // NAD keys too: a NAD whose attachment is gone is cleaned up by that key's pass.
      () => [...new Set([...ctx.attachments.keys(), ...ctx.nads.keys()])],
    ),
    reservations: makeQueue(
      'reservation',
      options.concurrency?.attachments ?? 16,
      (key) => reconcileReservation(ctx, key),
      () => [...ctx.addresses.keys(), ...ctx.endpoints.keys()],
    ),
  };
  queues = running;
  metrics.setQueues(running);
  running.vpcs.resync();
  running.attachments.resync();
  running.reservations.resync();
  const nodePrefixes = options.srv6Pool
    ? startNodePrefixAllocator({ kube: options.kube, pool: options.srv6Pool, logger: options.logger, resyncIntervalMs: options.resyncIntervalMs })
    : undefined;
  options.logger.info('controllers started', { vpcs: ctx.vpcs.keys().length, attachments: ctx.attachments.keys().length });
  return {
    context: ctx,
    queues: running,
    stop: async () => {
      nodePrefixes?.stop();
      await operator.shutdown();
      await Promise.all([running.vpcs.shutdown(), running.attachments.shutdown(), running.reservations.shutdown()]);
      metrics.setQueues(undefined);
      options.logger.info('controllers stopped');
    },
  };
}
