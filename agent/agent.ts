// The running agent: kernel adapter, desired-state stores, the reconcile
// loop (lib/reconcile), gRPC for the CNI plugin, MQTT for the router, health
// and metrics. Start-up rebuilds local state from the kernel (the VRFs and
// ingress routes that exist) and the state file, so a restart re-announces
// the registrations and converges without touching routes that are right.
import { status } from '@grpc/grpc-js';
import { BehaviorSubject, type Subscription, filter, firstValueFrom, timeout } from 'rxjs';
import { VPC_ID_BITS, isReservedIdentifier } from '../lib/identifiers.js';
import type { Logger } from '../lib/log.js';
import { Counter, Gauge, type HealthServer, createRegistry, reconcileMetrics, startHealthServer } from '../lib/metrics.js';
import type { Registry } from '../lib/metrics.js';
import { type MqttConnection, connectMqtt } from '../lib/mqtt.js';
import { vrfName } from '../lib/names.js';
import type { PassResult } from '../lib/reconcile.js';
import { decodeSid, sidBelongsTo } from '../lib/sid.js';
import type { AgentConfig } from './config.js';
import { ControlPlane, type RejectReason, workerName } from './control-plane.js';
import type { Action } from './diff.js';
import { LocalCallError, type LocalServer, startLocalServer } from './grpc.js';
import { Kernel } from './kernel.js';
import { MAIN_TABLE, type ObservedKernel } from './kernel-state.js';
import type { Plan, ProblemReason, Registration } from './plan.js';
import { type PassRecord, kernelLoop } from './loop.js';
import { InvalidRequestError, RegistrationStore, RouteStore, currentVersion, loadRegistrations, parseAttachmentRequest, saveRegistrations } from './registrations.js';
import { AnnouncementSequence, sequenceFileFor } from './sequence.js';

export type { PassRecord };

export interface Agent {
  readonly registrations: RegistrationStore;
  readonly routes: RouteStore;
  readonly kernel: Kernel;
  readonly registry: Registry;
  readonly mqtt: MqttConnection;
  readonly healthPort: number | undefined;
  /** The latest reconcile pass. */
  readonly lastPass$: BehaviorSubject<PassRecord | undefined>;
  /** Resolves with the first successful pass that saw the intent as it is now (or later). */
  settled(timeoutMs?: number): Promise<PassRecord>;
  /** Stops serving; the kernel is left as it is (the data path stays up). */
  close(): Promise<void>;
}

interface Metrics {
  registrations: Gauge;
  routes: Gauge;
  unprogrammed: Gauge;
  rejected: Counter;
  drift: Counter;
  recordPass: (result: PassResult<unknown>) => void;
}

function createMetrics(registry: Registry): Metrics {
  return {
    registrations: new Gauge({ name: 'galactic_agent_registrations', help: 'Local attachments registered by the CNI plugin', registers: [registry] }),
    routes: new Gauge({ name: 'galactic_agent_routes_programmed', help: 'Egress routes from the router programmed in the kernel', labelNames: ['family'], registers: [registry] }),
    unprogrammed: new Gauge({
      name: 'galactic_agent_unprogrammed',
      help: 'Registrations and routes that cannot be programmed now, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    rejected: new Counter({ name: 'galactic_agent_rejected_messages_total', help: 'Messages from the router rejected, by reason', labelNames: ['reason'], registers: [registry] }),
    drift: new Counter({
      name: 'galactic_agent_kernel_drift_total',
      help: 'Full kernel reads started by ip monitor, by cause: monitor-started (start or restart), events-lost, change (made by someone else)',
      labelNames: ['cause'],
      registers: [registry],
    }),
    recordPass: reconcileMetrics(registry),
  };
}

const REJECT_REASONS: RejectReason[] = ['undecodable', 'unexpected-kind', 'invalid-sid', 'foreign-sid', 'invalid-prefix', 'invalid-segments'];
const PROBLEM_REASONS: ProblemReason[] = ['vrf-missing', 'not-registered', 'destination-taken', 'veth-missing'];

/**
 * Local state after a restart: registrations from the state file, checked
 * against the kernel. An ingress route of ours whose VRF exists is a live
 * registration (adopted even without a state file entry); a stored
 * registration whose VRF is gone belongs to a pod deleted meanwhile.
 */
export function restoreRegistrations(
  stored: Registration[],
  observed: ObservedKernel,
  config: Pick<AgentConfig, 'srv6Net'>,
): { live: Registration[]; adopted: Registration[]; gone: Registration[] } {
  const bySid = new Map(stored.map((r) => [r.sid, r]));
  const live = new Map<string, Registration>();
  const adopted: Registration[] = [];
  for (const route of observed.routes.values()) {
    if (route.table !== MAIN_TABLE || route.encap !== 'seg6local' || !route.dst.endsWith('/128')) continue;
    const sid = route.dst.slice(0, -4);
    if (!sidBelongsTo(config.srv6Net, sid)) continue;
    const { vpc, attachment } = decodeSid(sid);
    if (isReservedIdentifier(vpc, VPC_ID_BITS) || observed.links.get(vrfName(vpc, attachment))?.vrfTable === undefined) continue;
    const registration = bySid.get(sid) ?? { sid, vpc, attachment, networks: [] };
    if (!bySid.has(sid)) adopted.push(registration);
    live.set(sid, registration);
  }
  const gone: Registration[] = [];
  for (const registration of stored) {
    if (live.has(registration.sid)) continue;
    if (observed.links.get(vrfName(registration.vpc, registration.attachment))?.vrfTable !== undefined) live.set(registration.sid, registration);
    else gone.push(registration);
  }
  return { live: [...live.values()], adopted, gone };
}

/**
 * What `galactic status` reads from /state: the registrations and the
 * router's routes (desired), and the egress routes the kernel holds, read
 * for this answer (`observedAt`), never the agent's kept view.
 */
async function agentState(config: AgentConfig, registrations: RegistrationStore, routes: RouteStore, kernel: Kernel): Promise<unknown> {
  const { observed, at } = await kernel.snapshot();
  const programmed = [...observed.routes.values()]
    .filter((route) => route.encap === 'seg6' || route.nhid !== undefined)
    .map((route) => ({
      table: route.table,
      network: route.dst,
      segments: route.nhid !== undefined ? (observed.nexthops.get(route.nhid)?.segs ?? []) : (route.segs ?? []),
    }));
  return {
    worker: workerName(config.sendTopic),
    srv6Net: config.srv6NetText,
    registrations: registrations.all().map((r) => ({ sid: r.sid, vpc: r.vpc, attachment: r.attachment, networks: r.networks })),
    routes: [...routes.view().values()].map((r) => ({ endpoint: r.endpoint, network: r.network, segments: r.segments })),
    observedAt: at.toISOString(),
    programmed,
  };
}

export async function startAgent(config: AgentConfig, logger: Logger): Promise<Agent> {
  const registry = createRegistry('agent');
  const metrics = createMetrics(registry);
  const kernel = new Kernel(config.netns ? { netns: config.netns } : {});
  const registrations = new RegistrationStore();
  const routes = new RouteStore();
  const subscriptions: Subscription[] = [];

  // Local state from the kernel and the state file.
  const observed = await kernel.observe();
  const { registrations: stored, invalid } = await loadRegistrations(config.stateFile, config.srv6Net);
  for (const problem of invalid) logger.warn('ignoring an invalid state file entry', { file: config.stateFile, problem });
  const restored = restoreRegistrations(stored, observed, config);
  for (const registration of restored.live) registrations.register(registration);
  for (const registration of restored.adopted) {
    logger.warn('adopted an ingress route without a state file entry: its networks are unknown until the CNI plugin registers it again', { sid: registration.sid });
  }
  logger.info('local state restored', { registrations: restored.live.length, adopted: restored.adopted.length, gone: restored.gone.length, stateFile: config.stateFile });

  let saving = Promise.resolve();
  const saveState = (): Promise<void> => {
    const snapshot = registrations.all();
    saving = saving.then(() => saveRegistrations(config.stateFile, snapshot)).catch((error: unknown) => logger.error('cannot write the state file', { file: config.stateFile, error }));
    return saving;
  };
  await saveState();
  metrics.registrations.set(registrations.all().length);
  subscriptions.push(registrations.registrations$.subscribe((map) => metrics.registrations.set(map.size)));

  // The reconcile loop.
  const lastPass$ = new BehaviorSubject<PassRecord | undefined>(undefined);
  let problemSummary = '';
  const reportProblems = (problems: Plan['problems']): void => {
    const counts = Object.fromEntries(PROBLEM_REASONS.map((reason) => [reason, problems.filter((p) => p.reason === reason).length]));
    for (const reason of PROBLEM_REASONS) metrics.unprogrammed.set({ reason }, counts[reason] ?? 0);
    const summary = JSON.stringify(counts);
    if (summary === problemSummary) return;
    problemSummary = summary;
    if (problems.length > 0) logger.warn('some of the desired state cannot be programmed', { counts, examples: problems.slice(0, 5).map((p) => p.detail) });
    else logger.info('everything desired is programmed');
  };
  for (const cause of ['monitor-started', 'events-lost', 'change']) metrics.drift.inc({ cause }, 0);
  const loop = kernelLoop({
    kernel,
    registrations,
    routes,
    encapDevice: config.encapDevice,
    resyncIntervalMs: config.resyncIntervalMs,
    logger,
    onPass: metrics.recordPass,
    onDrift: (drift) => metrics.drift.inc({ cause: drift.cause }),
  });
  subscriptions.push(
    loop.subscribe((record) => {
      if (record.ok && record.plan) {
        reportProblems(record.plan.problems);
        const egress = [...record.plan.desired.routes.values()].filter((r) => r.kind === 'egress');
        for (const family of [4, 6]) metrics.routes.set({ family: String(family) }, egress.filter((r) => r.family === family).length);
      }
      logger.debug('reconcile pass', { ok: record.ok, changes: record.actions, durationMs: Math.round(record.durationMs), version: record.version });
      if (record.ok && record.actions > 0) logger.info('kernel updated', { changes: record.actions, durationMs: Math.round(record.durationMs), version: record.version });
      lastPass$.next(record);
    }),
  );

  const settled = async (timeoutMs = 10_000): Promise<PassRecord> => {
    const version = currentVersion(registrations, routes);
    try {
      return await firstValueFrom(
        lastPass$.pipe(
          filter((pass): pass is PassRecord => pass !== undefined && pass.ok && pass.version >= version),
          timeout(Math.max(timeoutMs, 1)),
        ),
      );
    } catch {
      const last = lastPass$.value;
      const why = last && !last.ok ? `: ${last.error instanceof Error ? last.error.message : String(last.error)}` : '';
      throw new LocalCallError(status.UNAVAILABLE, `the kernel was not updated within ${timeoutMs} ms${why}`);
    }
  };
  // Answer before the caller's gRPC deadline (the CNI plugin allows 30 s).
  const budget = (deadline: Date | undefined): number => (deadline ? Math.min(29_000, deadline.getTime() - Date.now() - 250) : 10_000);

  // MQTT and the router.
  const mqtt = connectMqtt({ ...config.mqtt, reconnectMs: config.mqtt.reconnectMs ?? 1000, dropUnacknowledgedOnDisconnect: true }, logger.child({ part: 'mqtt' }));
  const plane = new ControlPlane({
    connection: mqtt,
    sendTopic: config.sendTopic,
    receiveTopic: config.receiveTopic,
    srv6Net: config.srv6Net,
    registrations,
    routes,
    logger: logger.child({ part: 'control-plane', worker: workerName(config.sendTopic) }),
    onReject: (reason) => metrics.rejected.inc({ reason }),
    sequence: new AnnouncementSequence({ file: sequenceFileFor(config.stateFile), logger }),
    ...(config.antiEntropyIntervalMs !== undefined ? { antiEntropyIntervalMs: config.antiEntropyIntervalMs } : {}),
  });
  for (const reason of REJECT_REASONS) metrics.rejected.inc({ reason }, 0);
  for (const registration of restored.gone) plane.withdraw(registration);
  plane.start();

  // gRPC for the CNI plugin.
  const parse = (request: { vpc: string; vpcattachment: string; networks: string[] }): Registration => {
    try {
      return parseAttachmentRequest(request, config.srv6Net);
    } catch (error) {
      if (error instanceof InvalidRequestError) throw new LocalCallError(status.INVALID_ARGUMENT, error.message);
      throw error;
    }
  };
  const grpc: LocalServer = await startLocalServer(
    config.socketPath,
    {
      register: async (request, deadline) => {
        const registration = parse(request);
        const previous = registrations.get(registration.sid);
        const rollback = async (): Promise<void> => {
          if (previous) registrations.register(previous);
          else registrations.deregister(registration.sid);
          await saveState();
        };
        kernel.invalidate(); // the CNI plugin has just created the VRF
        const { added, removed } = registrations.register(registration);
        await saveState();
        let pass: PassRecord;
        try {
          pass = await settled(budget(deadline));
        } catch (error) {
          await rollback();
          throw error;
        }
        const problem = pass.plan?.problems.find((p) => p.sid === registration.sid && p.reason === 'vrf-missing');
        if (problem) {
          await rollback();
          throw new LocalCallError(status.FAILED_PRECONDITION, problem.detail);
        }
        plane.withdraw(registration, removed);
        plane.announce(registration, added);
        logger.info('registered', { sid: registration.sid, networks: registration.networks, announced: added });
      },
      deregister: async (request, deadline) => {
        const registration = parse(request);
        const previous = registrations.deregister(registration.sid);
        await saveState();
        plane.withdraw(registration, [...new Set([...(previous?.networks ?? []), ...registration.networks])]);
        await settled(budget(deadline));
        logger.info('deregistered', { sid: registration.sid, known: previous !== undefined });
      },
    },
    logger.child({ part: 'grpc' }),
  );

  let health: HealthServer | undefined;
  if (config.metrics) {
    health = await startHealthServer({
      port: config.metrics.port,
      host: config.metrics.host,
      registry,
      checks: { mqtt: () => mqtt.connected$.value, kernel: () => lastPass$.value?.ok === true },
      state: () => agentState(config, registrations, routes, kernel),
    });
    logger.info('metrics and health listening', { port: health.port });
  }

  let closed = false;
  return {
    registrations,
    routes,
    kernel,
    registry,
    mqtt,
    healthPort: health?.port,
    lastPass$,
    settled,
    close: async () => {
      if (closed) return;
      closed = true;
      await grpc.close();
      for (const subscription of subscriptions) subscription.unsubscribe();
      plane.stop();
      routes.close();
      await mqtt.close().catch(() => undefined);
      await health?.close();
      await saving;
    },
  };
}
