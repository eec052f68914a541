// SQLite registration store (the default): one file, owned by one router
// (exclusive lock), WAL journal with synchronous=NORMAL (a commit is durable
// against a process crash, and costs no fsync per message), one transaction
// per message. Every read is a prepared statement served by an index, so
// memory does not grow with the store and the cost of a message depends on
// its VPC, not on the store size.
import Database from 'better-sqlite3';
import type { Mutation, Registration } from './routes.js';
import type { AppliedSequence, Store } from './store.js';

export const SCHEMA = [
  // (vpc, network) is unique: a register first removes whoever held the network.
  `CREATE TABLE IF NOT EXISTS registration (
     vpc TEXT NOT NULL, network TEXT NOT NULL, endpoint TEXT NOT NULL, worker TEXT NOT NULL, created INTEGER NOT NULL,
     PRIMARY KEY (vpc, network)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS registration_worker ON registration (worker, vpc)',
  // First-claim ownership (router/ownership.ts): one prefix per worker, one worker per prefix.
  'CREATE TABLE IF NOT EXISTS worker_binding (worker TEXT PRIMARY KEY, prefix TEXT NOT NULL UNIQUE) WITHOUT ROWID',
  // Announcement order (router/sequence.ts): the highest sequence applied per worker.
  'CREATE TABLE IF NOT EXISTS worker_sequence (worker TEXT PRIMARY KEY, sequence INTEGER NOT NULL) WITHOUT ROWID',
];

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly byVpc: Database.Statement<[string], Registration>;
  private readonly vpcsOfWorker: Database.Statement<[string], string>;
  private readonly allWorkers: Database.Statement<[], string>;
  private readonly countAll: Database.Statement<[], number>;
  private readonly countOfWorker: Database.Statement<[string], number>;
  private readonly bindingOf: Database.Statement<[string], string>;
  private readonly insertBinding: Database.Statement<[string, string]>;
  private readonly holderOf: Database.Statement<[string], string>;
  private readonly sequenceOf: Database.Statement<[string], number>;
  private readonly applyAll: (mutations: readonly Mutation[], applied: AppliedSequence | undefined) => void;

  private constructor(private readonly db: Database.Database) {
    this.byVpc = db.prepare<[string], Registration>('SELECT vpc, network, endpoint, worker, created FROM registration WHERE vpc = ?');
    this.vpcsOfWorker = db.prepare<[string], string>('SELECT DISTINCT vpc FROM registration WHERE worker = ?').pluck();
    this.allWorkers = db.prepare<[], string>('SELECT DISTINCT worker FROM registration').pluck();
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM registration').pluck();
    this.countOfWorker = db.prepare<[string], number>('SELECT count(*) FROM registration WHERE worker = ?').pluck();
    this.bindingOf = db.prepare<[string], string>('SELECT prefix FROM worker_binding WHERE worker = ?').pluck();
    this.insertBinding = db.prepare('INSERT OR IGNORE INTO worker_binding (worker, prefix) VALUES (?, ?)');
    this.holderOf = db.prepare<[string], string>('SELECT worker FROM worker_binding WHERE prefix = ?').pluck();
    const insertRow = db.prepare<[string, string, string, string, number]>('INSERT OR REPLACE INTO registration (vpc, network, endpoint, worker, created) VALUES (?, ?, ?, ?, ?)');
    const deleteRow = db.prepare<[string, string]>('DELETE FROM registration WHERE vpc = ? AND network = ?');
    this.sequenceOf = db.prepare<[string], number>('SELECT sequence FROM worker_sequence WHERE worker = ?').pluck();
    const markSequence = db.prepare<[string, number]>(
      'INSERT INTO worker_sequence (worker, sequence) VALUES (?, ?) ON CONFLICT (worker) DO UPDATE SET sequence = max(sequence, excluded.sequence)',
    );
    this.applyAll = db.transaction((mutations: readonly Mutation[], applied: AppliedSequence | undefined) => {
      for (const m of mutations) {
        if (m.op === 'insert') {
          const r = m.registration;
          insertRow.run(r.vpc, r.network, r.endpoint, r.worker, r.created);
        } else {
          deleteRow.run(m.vpc, m.network);
        }
      }
      if (applied) markSequence.run(applied.worker, applied.sequence);
    });
  }

  static async open(path: string): Promise<SqliteStore> {
    const db = new Database(path);
    try {
      db.pragma('busy_timeout = 5000');
      // One router owns the file (a second one fails at start, after the busy timeout): SQLite then
      // keeps the WAL index in its own memory and takes no file locks per transaction.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Checkpoints every ~40 MB of WAL instead of every 4 MB: a page changed by many messages is copied back once.
      db.pragma('wal_autocheckpoint = 10000');
      for (const statement of SCHEMA) db.exec(statement);
      return new SqliteStore(db);
    } catch (error) {
      db.close(); // a connection left open would hold the lock it got
      throw new Error(`SQLite store ${path}: ${(error as Error).message}${/locked|busy/i.test((error as Error).message) ? ' (another router has it open? one router per file)' : ''}`, { cause: error });
    }
  }

  async vpc(vpc: string): Promise<Registration[]> {
    return this.byVpc.all(vpc);
  }

  async vpcsOf(worker: string): Promise<string[]> {
    return this.vpcsOfWorker.all(worker);
  }

  async workers(): Promise<string[]> {
    return this.allWorkers.all();
  }

  async apply(mutations: readonly Mutation[], applied?: AppliedSequence): Promise<void> {
    if (mutations.length > 0 || applied) this.applyAll(mutations, applied); // throws, and changes nothing, if the transaction fails
  }

  async appliedSequence(worker: string): Promise<number | undefined> {
    return this.sequenceOf.get(worker);
  }

  async count(): Promise<number> {
    return this.countAll.get()!;
  }

  async countOf(worker: string): Promise<number> {
    return this.countOfWorker.get(worker)!;
  }

  async binding(worker: string): Promise<string | undefined> {
    return this.bindingOf.get(worker);
  }

  async claimPrefix(worker: string, prefix: string): Promise<string | undefined> {
    this.insertBinding.run(worker, prefix);
    return this.holderOf.get(prefix);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
