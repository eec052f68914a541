// SQLite registration store (the default): one file, WAL journal with
// synchronous=NORMAL (a commit is durable against a process crash, and costs
// no fsync per message), prepared statements, one transaction per message.
import Database from 'better-sqlite3';
import type { Mutation, Registration } from './routes.js';
import type { Store } from './store.js';

export const SCHEMA = [
  // (vpc, network) is unique: a register first removes whoever held the network.
  `CREATE TABLE IF NOT EXISTS registration (
     vpc TEXT NOT NULL, network TEXT NOT NULL, endpoint TEXT NOT NULL, worker TEXT NOT NULL, created INTEGER NOT NULL,
     PRIMARY KEY (vpc, network))`,
  'CREATE INDEX IF NOT EXISTS registration_worker ON registration (worker, vpc)',
];

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly selectVpc: Database.Statement<[string], Registration>;
  private readonly selectWorkerVpcs: Database.Statement<[string], { vpc: string }>;
  private readonly insertRow: Database.Statement<[string, string, string, string, number]>;
  private readonly deleteRow: Database.Statement<[string, string]>;
  private readonly countRows: Database.Statement<[], { n: number }>;
  private readonly applyAll: (mutations: readonly Mutation[]) => void;

  private constructor(private readonly db: Database.Database) {
    this.selectVpc = db.prepare('SELECT vpc, network, endpoint, worker, created FROM registration WHERE vpc = ?');
    this.selectWorkerVpcs = db.prepare('SELECT DISTINCT vpc FROM registration WHERE worker = ?');
    this.insertRow = db.prepare('INSERT OR REPLACE INTO registration (vpc, network, endpoint, worker, created) VALUES (?, ?, ?, ?, ?)');
    this.deleteRow = db.prepare('DELETE FROM registration WHERE vpc = ? AND network = ?');
    this.countRows = db.prepare('SELECT count(*) AS n FROM registration');
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

  static open(path: string): SqliteStore {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    for (const statement of SCHEMA) db.exec(statement);
    return new SqliteStore(db);
  }

  async vpc(vpc: string): Promise<Registration[]> {
    return this.selectVpc.all(vpc);
  }

  async vpcsOf(worker: string): Promise<string[]> {
    return this.selectWorkerVpcs.all(worker).map((row) => row.vpc);
  }

  async apply(mutations: readonly Mutation[]): Promise<void> {
    if (mutations.length > 0) this.applyAll(mutations);
  }

  async count(): Promise<number> {
    return this.countRows.get()!.n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
