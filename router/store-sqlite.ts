// SQLite registration store (the default): one file, WAL journal with
// synchronous=NORMAL (a commit is durable against a process crash, and costs
// no fsync per message), prepared statements, one transaction per message.
// The router is the file's only user, so reads are answered from an indexed
// in-memory copy loaded at open and updated after each commit; the file is
// written through.
import Database from 'better-sqlite3';
import type { Mutation, Registration } from './routes.js';
import { MemoryStore, type Store } from './store.js';

export const SCHEMA = [
  // (vpc, network) is unique: a register first removes whoever held the network.
  `CREATE TABLE IF NOT EXISTS registration (
     vpc TEXT NOT NULL, network TEXT NOT NULL, endpoint TEXT NOT NULL, worker TEXT NOT NULL, created INTEGER NOT NULL,
     PRIMARY KEY (vpc, network)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS registration_worker ON registration (worker, vpc)',
];

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly memory = new MemoryStore();
  private readonly insertRow: Database.Statement<[string, string, string, string, number]>;
  private readonly deleteRow: Database.Statement<[string, string]>;
  private readonly applyAll: (mutations: readonly Mutation[]) => void;

  private constructor(private readonly db: Database.Database) {
    this.insertRow = db.prepare('INSERT OR REPLACE INTO registration (vpc, network, endpoint, worker, created) VALUES (?, ?, ?, ?, ?)');
    this.deleteRow = db.prepare('DELETE FROM registration WHERE vpc = ? AND network = ?');
    this.applyAll = db.transaction((mutations: readonly Mutation[]) => {
      for (const m of mutations) {
        if (m.op === 'insert') {
          const r = m.registration;
          this.insertRow.run(r.vpc, r.network, r.endpoint, r.worker, r.created);
        } else {
          this.deleteRow.run(m.vpc, m.network);
        }
      }
    });
  }

  static async open(path: string): Promise<SqliteStore> {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    for (const statement of SCHEMA) db.exec(statement);
    const store = new SqliteStore(db);
    const rows = db.prepare<[], Registration>('SELECT vpc, network, endpoint, worker, created FROM registration').all();
    await store.memory.apply(rows.map((registration) => ({ op: 'insert', registration })));
    return store;
  }

  vpc(vpc: string): Promise<Registration[]> {
    return this.memory.vpc(vpc);
  }

  vpcsOf(worker: string): Promise<string[]> {
    return this.memory.vpcsOf(worker);
  }

  workers(): Promise<string[]> {
    return this.memory.workers();
  }

  async apply(mutations: readonly Mutation[]): Promise<void> {
    if (mutations.length === 0) return;
    this.applyAll(mutations); // throws, and changes nothing, if the transaction fails
    await this.memory.apply(mutations);
  }

  count(): Promise<number> {
    return this.memory.count();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
