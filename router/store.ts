// The router's registration store: an adapter with three implementations
// (indexed Maps in memory, SQLite, PostgreSQL), chosen by DB_URL. Reads are
// the two the route computation needs, both served by an index: one VPC's
// registrations, and the VPCs a worker has registrations in (resync).
// `apply` writes one message's mutations atomically.
import type { Logger } from '../lib/log.js';
import type { Mutation, Registration } from './routes.js';

/** The highest announcement sequence applied for a worker (router/sequence.ts). */
export interface AppliedSequence {
  worker: string;
  sequence: number;
}

export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /** Every registration of one VPC. */
  vpc(vpc: string): Promise<Registration[]>;
  /** The VPCs in which `worker` has at least one registration. */
  vpcsOf(worker: string): Promise<string[]>;
  /** Every worker with at least one registration (the router asks each for an anti-entropy summary). */
  workers(): Promise<string[]>;
  /**
   * Applies one message's mutations in order, all or nothing, and with them
   * (same transaction) the message's sequence as its worker's applied one
   * (kept if higher already).
   */
  apply(mutations: readonly Mutation[], applied?: AppliedSequence): Promise<void>;
  /** The highest sequence applied for `worker`; undefined before its first sequenced message. */
  appliedSequence(worker: string): Promise<number | undefined>;
  count(): Promise<number>;
  /** Registrations of one worker (its quota). */
  countOf(worker: string): Promise<number>;
  /** The srv6 prefix a worker is bound to by its first claim (router/ownership.ts), if any. */
  binding(worker: string): Promise<string | undefined>;
  /** Binds `worker` to `prefix` unless either is bound already; returns the worker that holds `prefix` afterwards (none if `worker` was bound elsewhere meanwhile). */
  claimPrefix(worker: string, prefix: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export const DEFAULT_DB_URL = 'galactic-router.db';

/** In-memory store (`DB_URL=:memory:`): registrations are lost when the process ends. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  private readonly byVpc = new Map<string, Map<string, Registration>>();
  /** worker → vpc → number of registrations. */
  private readonly byWorker = new Map<string, Map<string, number>>();
  private total = 0;
  private readonly prefixOf = new Map<string, string>();
  private readonly workerOfPrefix = new Map<string, string>();
  private readonly sequences = new Map<string, number>();

  async vpc(vpc: string): Promise<Registration[]> {
    return [...(this.byVpc.get(vpc)?.values() ?? [])];
  }

  async vpcsOf(worker: string): Promise<string[]> {
    return [...(this.byWorker.get(worker)?.keys() ?? [])];
  }

  async workers(): Promise<string[]> {
    return [...this.byWorker.keys()];
  }

  async apply(mutations: readonly Mutation[], applied?: AppliedSequence): Promise<void> {
    for (const mutation of mutations) {
      if (mutation.op === 'insert') this.insert(mutation.registration);
      else this.delete(mutation.vpc, mutation.network);
    }
    if (applied) this.sequences.set(applied.worker, Math.max(applied.sequence, this.sequences.get(applied.worker) ?? 0));
  }

  async appliedSequence(worker: string): Promise<number | undefined> {
    return this.sequences.get(worker);
  }

  async count(): Promise<number> {
    return this.total;
  }

  async countOf(worker: string): Promise<number> {
    let n = 0;
    for (const count of this.byWorker.get(worker)?.values() ?? []) n += count;
    return n;
  }

  async binding(worker: string): Promise<string | undefined> {
    return this.prefixOf.get(worker);
  }

  async claimPrefix(worker: string, prefix: string): Promise<string | undefined> {
    if (!this.prefixOf.has(worker) && !this.workerOfPrefix.has(prefix)) {
      this.prefixOf.set(worker, prefix);
      this.workerOfPrefix.set(prefix, worker);
    }
    return this.workerOfPrefix.get(prefix);
  }

  async close(): Promise<void> {}

  private insert(registration: Registration): void {
    this.delete(registration.vpc, registration.network);
    let networks = this.byVpc.get(registration.vpc);
    if (!networks) this.byVpc.set(registration.vpc, (networks = new Map()));
    networks.set(registration.network, registration);
    let vpcs = this.byWorker.get(registration.worker);
    if (!vpcs) this.byWorker.set(registration.worker, (vpcs = new Map()));
    vpcs.set(registration.vpc, (vpcs.get(registration.vpc) ?? 0) + 1);
    this.total += 1;
  }

  private delete(vpc: string, network: string): void {
    const networks = this.byVpc.get(vpc);
    const existing = networks?.get(network);
    if (!networks || !existing) return;
    networks.delete(network);
    if (networks.size === 0) this.byVpc.delete(vpc);
    const vpcs = this.byWorker.get(existing.worker)!;
    const left = vpcs.get(vpc)! - 1;
    if (left > 0) vpcs.set(vpc, left);
    else vpcs.delete(vpc);
    if (vpcs.size === 0) this.byWorker.delete(existing.worker);
    this.total -= 1;
  }
}

export interface StoreOptions {
  logger: Logger;
  /** Called when a store that holds a connection loses it (the router must stop). */
  onLost?: (error: Error) => void;
}

/** Where DB_URL points, in words, without a password. */
export function describeDbUrl(url: string): string {
  if (url === ':memory:') return 'memory';
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  }
  return `sqlite:${sqlitePath(url)}`;
}

/** `sqlite:PATH`, `sqlite://PATH`, `file:PATH` or a bare PATH. */
export function sqlitePath(url: string): string {
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

/**
 * Opens the store DB_URL names: `:memory:`, `postgres://…` (or
 * `postgresql://…`), anything else is an SQLite file. A PostgreSQL store
 * waits here until this router is the only active one (see store-postgres).
 */
export async function openStore(url: string, options: StoreOptions): Promise<Store> {
  if (url === ':memory:') return new MemoryStore();
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { PostgresStore } = await import('./store-postgres.js');
    return PostgresStore.open(url, options);
  }
  const { SqliteStore } = await import('./store-sqlite.js');
  return SqliteStore.open(sqlitePath(url));
}
