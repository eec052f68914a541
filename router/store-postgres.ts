// PostgreSQL registration store, for routers run highly available: every
// replica opens the store, but only the one holding a session advisory lock
// gets past `open`, so exactly one router consumes registrations at a time;
// when it dies its session ends, the lock is released, and a standby takes over
// with the same state. One transaction per message, each on a connection of
// its own from a pool; reads (the route computation's and /state's) take
// their own connections, so a failing read can never abort a transaction.
import pg from 'pg';
import type { Mutation, Registration } from './routes.js';
import type { AppliedSequence, Store, StoreOptions } from './store.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS galactic_registration (
     vpc text NOT NULL, network text NOT NULL, endpoint text NOT NULL, worker text NOT NULL, created bigint NOT NULL,
     PRIMARY KEY (vpc, network))`,
  'CREATE INDEX IF NOT EXISTS galactic_registration_worker ON galactic_registration (worker, vpc)',
  // First-claim ownership (router/ownership.ts): one prefix per worker, one worker per prefix.
  'CREATE TABLE IF NOT EXISTS galactic_worker_binding (worker text PRIMARY KEY, prefix text NOT NULL UNIQUE)',
  // Announcement order (router/sequence.ts): the highest sequence applied per worker.
  'CREATE TABLE IF NOT EXISTS galactic_worker_sequence (worker text PRIMARY KEY, sequence bigint NOT NULL)',
];

/** The lock that makes one router active among replicas sharing a database. */
const ACTIVE_LOCK = "hashtext('galactic-router')";

/** The net effect of mutations applied in order: (vpc, network) → row or deletion. */
export function netEffect(mutations: readonly Mutation[]): { upserts: Registration[]; deletes: Array<{ vpc: string; network: string }> } {
  const last = new Map<string, Registration | { vpc: string; network: string; deleted: true }>();
  for (const m of mutations) {
    if (m.op === 'insert') last.set(`${m.registration.vpc}\n${m.registration.network}`, m.registration);
    else last.set(`${m.vpc}\n${m.network}`, { vpc: m.vpc, network: m.network, deleted: true });
  }
  const upserts: Registration[] = [];
  const deletes: Array<{ vpc: string; network: string }> = [];
  for (const value of last.values()) {
    if ('deleted' in value) deletes.push({ vpc: value.vpc, network: value.network });
    else upserts.push(value);
  }
  return { upserts, deletes };
}

type Row = { vpc: string; network: string; endpoint: string; worker: string; created: string };

/** Connections for reads and transactions; the lock has its own, held for the router's life. */
const POOL_SIZE = 4;

export class PostgresStore implements Store {
  readonly kind = 'postgres';

  private constructor(
    /** Holds the session advisory lock: it is never used for anything else. */
    private readonly lock: pg.Client,
    /** Every read and every transaction takes its own connection from here, so a failing read never shares a transaction's session. */
    private readonly pool: pg.Pool,
  ) {}

  static async open(url: string, options: StoreOptions): Promise<PostgresStore> {
    const lock = new pg.Client({ connectionString: url, application_name: 'galactic-router' });
    lock.on('error', (error) => {
      options.logger.error('PostgreSQL connection lost', { error });
      options.onLost?.(error);
    });
    await lock.connect();
    const pool = new pg.Pool({ connectionString: url, application_name: 'galactic-router', max: POOL_SIZE });
    // An idle pooled connection that breaks is replaced by the pool; the next query reports it.
    pool.on('error', (error) => options.logger.warn('PostgreSQL pooled connection failed', { error }));
    try {
      const { rows } = await lock.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${ACTIVE_LOCK}) AS locked`);
      if (!rows[0]?.locked) {
        options.logger.info('another router holds the store lock; waiting as standby');
        await lock.query(`SELECT pg_advisory_lock(${ACTIVE_LOCK})`);
        options.logger.info('acquired the store lock; this router is now active');
      }
      for (const statement of SCHEMA) await lock.query(statement);
    } catch (error) {
      await Promise.all([lock.end().catch(() => undefined), pool.end().catch(() => undefined)]);
      throw error;
    }
    return new PostgresStore(lock, pool);
  }

  async vpc(vpc: string): Promise<Registration[]> {
    const { rows } = await this.pool.query<Row>({
      name: 'registrations-of-vpc',
      text: 'SELECT vpc, network, endpoint, worker, created FROM galactic_registration WHERE vpc = $1',
      values: [vpc],
    });
    return rows.map((row) => ({ ...row, created: Number(row.created) }));
  }

  async vpcsOf(worker: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ vpc: string }>({
      name: 'vpcs-of-worker',
      text: 'SELECT DISTINCT vpc FROM galactic_registration WHERE worker = $1',
      values: [worker],
    });
    return rows.map((row) => row.vpc);
  }

  async workers(): Promise<string[]> {
    const { rows } = await this.pool.query<{ worker: string }>('SELECT DISTINCT worker FROM galactic_registration');
    return rows.map((row) => row.worker);
  }

  async apply(mutations: readonly Mutation[], applied?: AppliedSequence): Promise<void> {
    if (mutations.length === 0 && !applied) return;
    const { upserts, deletes } = netEffect(mutations);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      if (deletes.length > 0) {
        await client.query(
          'DELETE FROM galactic_registration r USING unnest($1::text[], $2::text[]) AS d(vpc, network) WHERE r.vpc = d.vpc AND r.network = d.network',
          [deletes.map((d) => d.vpc), deletes.map((d) => d.network)],
        );
      }
      if (upserts.length > 0) {
        await client.query(
          `INSERT INTO galactic_registration (vpc, network, endpoint, worker, created)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
           ON CONFLICT (vpc, network) DO UPDATE SET endpoint = excluded.endpoint, worker = excluded.worker, created = excluded.created`,
          [upserts.map((r) => r.vpc), upserts.map((r) => r.network), upserts.map((r) => r.endpoint), upserts.map((r) => r.worker), upserts.map((r) => r.created)],
        );
      }
      if (applied) {
        await client.query({
          name: 'mark-applied-sequence',
          text: `INSERT INTO galactic_worker_sequence (worker, sequence) VALUES ($1, $2)
                 ON CONFLICT (worker) DO UPDATE SET sequence = GREATEST(galactic_worker_sequence.sequence, excluded.sequence)`,
          values: [applied.worker, applied.sequence],
        });
      }
      // PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK, not an error.
      const commit = await client.query('COMMIT');
      if (commit.command !== 'COMMIT') throw new Error(`PostgreSQL ended the transaction with ${commit.command}, not COMMIT`);
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: the pool discards it.
      client.release(broken);
    }
  }

  async appliedSequence(worker: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ sequence: string }>({
      name: 'applied-sequence-of-worker',
      text: 'SELECT sequence FROM galactic_worker_sequence WHERE worker = $1',
      values: [worker],
    });
    return rows[0] === undefined ? undefined : Number(rows[0].sequence);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM galactic_registration');
    return Number(rows[0]!.n);
  }

  async countOf(worker: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>({
      name: 'count-of-worker',
      text: 'SELECT count(*) AS n FROM galactic_registration WHERE worker = $1',
      values: [worker],
    });
    return Number(rows[0]!.n);
  }

  async binding(worker: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ prefix: string }>({ name: 'binding-of-worker', text: 'SELECT prefix FROM galactic_worker_binding WHERE worker = $1', values: [worker] });
    return rows[0]?.prefix;
  }

  async claimPrefix(worker: string, prefix: string): Promise<string | undefined> {
    await this.pool.query('INSERT INTO galactic_worker_binding (worker, prefix) VALUES ($1, $2) ON CONFLICT DO NOTHING', [worker, prefix]);
    const { rows } = await this.pool.query<{ worker: string }>('SELECT worker FROM galactic_worker_binding WHERE prefix = $1', [prefix]);
    return rows[0]?.worker;
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.lock.end();
  }
}
