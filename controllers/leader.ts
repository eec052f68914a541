// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it:
// - a candidate takes the lease when it is free or its holder has not renewed
//   it for leaseDuration, measured on the candidate's own clock from the moment
//   it last saw the record change (no trust in other nodes' clocks);
// - the leader renews every retryPeriod; if no renewal succeeds for
//   renewDeadline (< leaseDuration) it steps down, before anyone else may take over;
// - every write conflicts (409) on a stale resourceVersion, so two candidates
//   never both win the same round;
// - on graceful shutdown the leader releases the lease so a successor starts at once.
// `electionStep` is the pure decision; LeaderElector runs it against the API.
import { V1MicroTime, type V1Lease, type V1LeaseSpec } from '@kubernetes/client-node';
import type { Logger } from '../lib/log.js';
import { type LeaseApi, isConflict } from './kube.js';

export interface ElectionConfig {
  identity: string;
  namespace: string;
  name: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export type ElectionStep =
  | { kind: 'create'; spec: V1LeaseSpec }
  | { kind: 'update'; spec: V1LeaseSpec; acquiring: boolean }
  | { kind: 'wait'; holder: string; expiresInMs: number };

/** The observed lease record, as the elector last saw it change. */
export interface Observation {
  record: string;
  atMs: number;
}

export const recordOf = (spec: V1LeaseSpec | undefined): string =>
  JSON.stringify([spec?.holderIdentity ?? '', spec?.renewTime ? new Date(spec.renewTime).getTime() : 0, spec?.leaseTransitions ?? 0]);

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** What a candidate does with the lease it just read (undefined: none exists). */
export function electionStep(
  lease: V1LeaseSpec | undefined,
  observed: Observation | undefined,
  nowMs: number,
  config: Pick<ElectionConfig, 'identity' | 'leaseDurationMs'>,
): ElectionStep {
  const now = new V1MicroTime(nowMs);
  const durationSeconds = seconds(config.leaseDurationMs);
  const fresh: V1LeaseSpec = {
    holderIdentity: config.identity,
    leaseDurationSeconds: durationSeconds,
    acquireTime: now,
    renewTime: now,
    leaseTransitions: 0,
  };
  if (!lease) return { kind: 'create', spec: fresh };
  const holder = lease.holderIdentity ?? '';
  if (holder === config.identity) {
    return { kind: 'update', acquiring: false, spec: { ...lease, renewTime: now, leaseDurationSeconds: durationSeconds } };
  }
  const seenAt = observed && observed.record === recordOf(lease) ? observed.atMs : nowMs;
  const expiresInMs = seenAt + (lease.leaseDurationSeconds ?? durationSeconds) * 1000 - nowMs;
  if (holder !== '' && expiresInMs > 0) return { kind: 'wait', holder, expiresInMs };
  return {
    kind: 'update',
    acquiring: true,
    spec: { ...fresh, leaseTransitions: (lease.leaseTransitions ?? 0) + (holder !== '' ? 1 : 0) },
  };
}

export interface LeaderCallbacks {
  onStartedLeading: () => void | Promise<void>;
  onStoppedLeading: () => void | Promise<void>;
  onNewLeader?: (identity: string) => void;
}

export class LeaderElector {
  private leading = false;
  private lastRenewMs = 0;
  private observed: Observation | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private running = false;
  private tick: Promise<void> = Promise.resolve();
  private lastHolder = '';

  constructor(
    private readonly leases: LeaseApi,
    private readonly config: ElectionConfig,
    private readonly callbacks: LeaderCallbacks,
    private readonly logger: Logger,
  ) {
    if (config.renewDeadlineMs >= config.leaseDurationMs) throw new Error('renew deadline must be shorter than the lease duration');
    if (config.retryPeriodMs >= config.renewDeadlineMs) throw new Error('retry period must be shorter than the renew deadline');
  }

  /** True while this process holds the lease and renewed it within renewDeadline. */
  isLeader(): boolean {
    return this.leading && Date.now() - this.lastRenewMs < this.config.renewDeadlineMs;
  }

  get identity(): string {
    return this.config.identity;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops campaigning; a leader steps down and (by default) releases the lease. */
  async stop({ release = true } = {}): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.tick;
    if (this.leading) {
      await this.stepDown('shutting down');
      if (release) await this.release();
    }
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.tick = this.round().finally(() => this.schedule(this.config.retryPeriodMs));
    }, delayMs);
  }

  private async round(): Promise<void> {
    const { namespace, name } = this.config;
    try {
      const lease = await this.leases.get(namespace, name);
      if (!this.running) return;
      if (lease?.spec && recordOf(lease.spec) !== this.observed?.record) {
        this.observed = { record: recordOf(lease.spec), atMs: Date.now() };
      }
      const holder = lease?.spec?.holderIdentity ?? '';
      if (holder !== this.lastHolder) {
        this.lastHolder = holder;
        if (holder) this.callbacks.onNewLeader?.(holder);
      }
      const step = electionStep(lease?.spec, this.observed, Date.now(), this.config);
      if (step.kind === 'wait') {
        if (this.leading) await this.stepDown(`lease taken by ${step.holder}`);
        return;
      }
      const body: V1Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace, ...(lease?.metadata?.resourceVersion ? { resourceVersion: lease.metadata.resourceVersion } : {}) },
        spec: step.spec,
      };
      const written = step.kind === 'create' ? await this.leases.create(namespace, body) : await this.leases.replace(namespace, body);
      this.observed = { record: recordOf(written.spec), atMs: Date.now() };
      this.renewed();
      if (!this.leading) {
        this.leading = true;
        this.lastHolder = this.config.identity;
        this.logger.info('became leader', { lease: `${namespace}/${name}`, identity: this.config.identity });
        await this.callbacks.onStartedLeading();
      }
    } catch (error) {
      if (isConflict(error)) this.logger.debug('lease changed under us; retrying', { lease: `${namespace}/${name}` });
      else this.logger.warn('leader election round failed', { lease: `${namespace}/${name}`, error });
      // A leader that cannot renew keeps leading until renewDeadline (watchdog).
    }
  }

  private renewed(): void {
    this.lastRenewMs = Date.now();
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.leading && !this.isLeader()) void this.stepDown(`no renewal for ${this.config.renewDeadlineMs} ms`);
    }, this.config.renewDeadlineMs);
    this.watchdog.unref();
  }

  private async stepDown(why: string): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    if (this.watchdog) clearTimeout(this.watchdog);
    this.logger.warn('stepped down as leader', { identity: this.config.identity, why });
    await this.callbacks.onStoppedLeading();
  }

  private async release(): Promise<void> {
    const { namespace, name } = this.config;
    try {
      const lease = await this.leases.get(namespace, name);
      if (!lease?.spec || lease.spec.holderIdentity !== this.config.identity) return;
      const now = new V1MicroTime(Date.now());
      await this.leases.replace(namespace, {
        ...lease,
        spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now },
      });
      this.logger.info('released the lease', { lease: `${namespace}/${name}` });
    } catch (error) {
      this.logger.warn('could not release the lease; a successor waits for it to expire', { error });
    }
  }
}
