// Per-worker quotas, so one worker cannot starve the others: a cap on the
// registrations it has stored, and a rate limit (token bucket) on requests
// that make the router send it everything it holds (resync, summaries).
import type { Counter } from '../lib/metrics.js';
import type { Mutation } from './routes.js';
import { Rejected } from './validation.js';

export const DEFAULT_MAX_REGISTRATIONS_PER_WORKER = 10_000;
/** Requests a worker may make at once, and per minute after that. */
export const DEFAULT_RESYNC_BURST = 10;
export const DEFAULT_RESYNC_PER_MINUTE = 30;

export type QuotaName = 'registrations' | 'resync';

/**
 * Registrations stored per worker: read from the store once per worker, then
 * kept with each write (a COUNT per registration was 3 % of the router's CPU).
 * After a write that may not have committed, the workers it touched are read
 * again.
 */
export class RegistrationCounts {
  private readonly known = new Map<string, number>();

  constructor(private readonly count: (worker: string) => Promise<number>) {}

  async of(worker: string): Promise<number> {
    const known = this.known.get(worker);
    if (known !== undefined) return known;
    const stored = await this.count(worker);
    this.known.set(worker, stored);
    return stored;
  }

  /** After a plan's mutations were written (`committed`), or may or may not have been (false). */
  written(mutations: readonly Mutation[], committed: boolean): void {
    for (const m of mutations) {
      const [worker, delta] = m.op === 'insert' ? [m.registration.worker, 1] : [m.worker, -1];
      const known = this.known.get(worker);
      if (!committed) this.known.delete(worker);
      else if (known !== undefined) this.known.set(worker, known + delta);
    }
  }
}

export function checkRegistrationQuota(worker: string, stored: number, limit: number, exceeded: Counter<'quota'>): void {
  if (stored < limit) return;
  exceeded.inc({ quota: 'registrations' });
  throw new Rejected('quota', `worker ${worker} already has ${stored} registrations, the limit (--max-registrations-per-worker ${limit}); deregister some first`);
}

/** One token bucket per worker; a bucket that has refilled is forgotten, so memory follows the active workers. */
export class RateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private prunedAt = 0;

  constructor(
    private readonly burst: number,
    perMinute: number,
    private readonly exceeded: Counter<'quota'>,
    private readonly quota: QuotaName,
    private readonly clock: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one token for `worker`, or throws Rejected('quota'). */
  take(worker: string): void {
    const now = this.clock();
    if (now - this.prunedAt > 60_000) {
      this.prunedAt = now;
      for (const [key, bucket] of this.buckets) if (this.refilled(bucket, now) >= this.burst) this.buckets.delete(key);
    }
    const bucket = this.buckets.get(worker);
    const tokens = bucket ? this.refilled(bucket, now) : this.burst;
    if (tokens < 1) {
      this.exceeded.inc({ quota: this.quota });
      throw new Rejected('quota', `worker ${worker} sent more than ${this.burst} ${this.quota} requests at once or about ${Math.round(this.perMs * 60_000)} a minute; dropped`);
    }
    this.buckets.set(worker, { tokens: tokens - 1, at: now });
  }

  private refilled(bucket: { tokens: number; at: number }, now: number): number {
    return Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
  }
}
