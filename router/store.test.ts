// The three store adapters against one contract: VPC and worker queries,
// atomic apply, durability across reopen, and the PostgreSQL active lock.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import type { Mutation, Registration } from './routes.js';
import { describeDbUrl, MemoryStore, openStore, type Store } from './store.js';
import { FakeAgent } from './testing/agent.js';
import { createDatabase, type Postgres, startPostgres } from './testing/postgres.js';
import { startTestRouter } from './testing/router.js';

const reg = (vpc: string, network: string, endpoint: string, worker: string, created = 1): Registration => ({ vpc, network, endpoint, worker, created });
const insert = (registration: Registration): Mutation => ({ op: 'insert', registration });

const A = '0000000004d2';
const B = '00000000162e';

interface Adapter {
  name: string;
  /** Opens the same store again (after close). */
  open(): Promise<Store>;
}

/** The shared contract; a durable store (SQLite, PostgreSQL) also owes atomicity and durability. */
function contract(adapter: () => Adapter, { durable }: { durable: boolean }): void {
  let store: Store;
  beforeEach(async () => {
    store = await adapter().open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers by VPC and by worker, and counts', async () => {
    await store.apply([
      insert(reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1', 1_700_000_000_123)),
      insert(reg(A, '10.1.1.2/32', '2001:2::4d2:1', 'node2')),
      insert(reg(B, '10.1.1.1/32', '2001:2::162e:1', 'node2')),
    ]);
    expect(await store.vpc(A)).to.have.deep.members([reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1', 1_700_000_000_123), reg(A, '10.1.1.2/32', '2001:2::4d2:1', 'node2')]);
    expect(await store.vpc('000000000009')).to.deep.equal([]);
    expect(await store.vpcsOf('node2')).to.have.members([A, B]);
    expect(await store.vpcsOf('node1')).to.deep.equal([A]);
    expect(await store.count()).to.equal(3);
  });

  it('applies mutations in order: a delete then an insert of the same network is a replacement', async () => {
    await store.apply([insert(reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1'))]);
    await store.apply([{ op: 'delete', vpc: A, network: '10.1.1.1/32', worker: 'node1' }, insert(reg(A, '10.1.1.1/32', '2001:3::4d2:1', 'node3', 5))]);
    expect(await store.vpc(A)).to.deep.equal([reg(A, '10.1.1.1/32', '2001:3::4d2:1', 'node3', 5)]);
    expect(await store.vpcsOf('node1')).to.deep.equal([]);
    await store.apply([{ op: 'delete', vpc: A, network: '10.1.1.1/32', worker: 'node1' }]);
    expect(await store.count()).to.equal(0);
  });

  it('keeps the highest announcement sequence applied per worker, with or without changes', async () => {
    expect(await store.appliedSequence('node1')).to.equal(undefined);
    await store.apply([insert(reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1'))], { worker: 'node1', sequence: 1_795_000_000_000_005 });
    await store.apply([], { worker: 'node1', sequence: 3 }); // never lowered
    await store.apply([], { worker: 'node2', sequence: 7 });
    expect(await store.appliedSequence('node1')).to.equal(1_795_000_000_000_005);
    await store.apply([{ op: 'delete', vpc: A, network: '10.1.1.1/32', worker: 'node1' }], { worker: 'node1', sequence: 1_795_000_000_000_006 });
    expect(await store.appliedSequence('node1')).to.equal(1_795_000_000_000_006);
    expect(await store.appliedSequence('node2')).to.equal(7);
    expect(await store.count()).to.equal(0);
  });

  if (!durable) return; // nothing in memory can fail half-way or outlive the process

  it('writes the applied sequence in the transaction of the message\'s changes, and keeps it across close and open', async () => {
    await store.apply([insert(reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1'))], { worker: 'node1', sequence: 5 });
    const broken = { ...reg(A, '10.1.1.2/32', '2001:2::4d2:1', 'node1'), worker: null as unknown as string };
    let failed = false;
    await store.apply([insert(broken)], { worker: 'node1', sequence: 6 }).catch(() => (failed = true));
    expect(failed, 'a NOT NULL violation fails the apply').to.equal(true);
    expect(await store.appliedSequence('node1'), 'the failed message is not applied: its redelivery must be').to.equal(5);
    await store.close();
    store = await adapter().open();
    expect(await store.appliedSequence('node1')).to.equal(5);
  });

  it('applies one message\'s mutations atomically', async () => {
    await store.apply([insert(reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1'))]);
    const broken = { ...reg(A, '10.1.1.2/32', '2001:2::4d2:1', 'node2'), worker: null as unknown as string };
    let failed = false;
    await store.apply([{ op: 'delete', vpc: A, network: '10.1.1.1/32', worker: 'node1' }, insert(broken)]).catch(() => (failed = true));
    expect(failed, 'a NOT NULL violation fails the apply').to.equal(true);
    expect(await store.vpc(A)).to.deep.equal([reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1')]);
  });

  it('keeps its registrations across close and open', async () => {
    await store.apply([insert(reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1', 42))]);
    await store.close();
    store = await adapter().open();
    expect(await store.vpc(A)).to.deep.equal([reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1', 42)]);
  });
}

describe('registration store', () => {
  describe('memory (:memory:)', () => {
    contract(() => ({ name: 'memory', open: async () => new MemoryStore() }), { durable: false });
    it('is what DB_URL=:memory: opens', async () => {
      expect((await openStore(':memory:', { logger: memoryLogger() })).kind).to.equal('memory');
    });
  });

  describe('SQLite file', () => {
    let dir: string;
    let file: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'galactic-store-'));
    });
    beforeEach(function () {
      file = join(dir, `${this.currentTest?.title.replace(/\W+/g, '-')}.db`);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    contract(() => ({ name: 'sqlite', open: () => openStore(`sqlite:${file}`, { logger: memoryLogger() }) }), { durable: true });
    it('is the default for a path', () => {
      expect(describeDbUrl('/var/lib/galactic/router.db')).to.equal('sqlite:/var/lib/galactic/router.db');
      expect(describeDbUrl('postgres://u:secret@db/galactic')).to.equal('postgres://u:***@db/galactic');
    });
  });

  describe('SQLite file, one router', () => {
    let dir: string;
    let path: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'galactic-store-'));
      path = join(dir, 'router.db');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    it('belongs to one router: a second store on the same file is refused while the first is open', async function () {
      this.timeout(20_000);
      const first = await openStore(`sqlite:${path}`, { logger: memoryLogger() });
      try {
        let refusal: unknown;
        await openStore(`sqlite:${path}`, { logger: memoryLogger() }).then((second) => second.close(), (error: unknown) => (refusal = error));
        expect(String(refusal)).to.match(/database is locked/);
        await first.apply([insert(reg(A, '10.1.1.1/32', '2001:db8:1::4d2:1', 'node1'))]);
      } finally {
        await first.close();
      }
      const again = await openStore(`sqlite:${path}`, { logger: memoryLogger() });
      expect(await again.count(), 'open again once the first is closed').to.equal(1);
      await again.close();
    });
  });

  describe('PostgreSQL', function () {
    this.timeout(120_000);
    let server: Postgres | undefined;
    let url: string;
    let n = 0;
    before(async () => {
      server = await startPostgres();
    });
    after(async () => {
      await server?.stop();
    });
    beforeEach(async () => {
      url = await createDatabase(server!, `contract${++n}`);
    });
    describe('contract', () => {
      contract(() => ({ name: 'postgres', open: () => openStore(url, { logger: memoryLogger() }) }), { durable: true });
    });

    it('a failing read never shares a transaction: 400 messages applied while hostile reads fail, none lost (issue 8 defect 1)', async () => {
      const store = await openStore(url, { logger: memoryLogger() });
      let writing = true;
      let failedReads = 0;
      const hostileReads = async (): Promise<void> => {
        while (writing) {
          // U+0000 is not valid in a PostgreSQL text value: each of these fails in the database.
          await Promise.all([store.vpc('\u0000'), store.vpcsOf('node\u00001')].map((read) => read.then(() => undefined, () => void failedReads++)));
        }
      };
      const readers = [hostileReads(), hostileReads()];
      let acknowledged = 0;
      try {
        for (let i = 0; i < 400; i++) {
          const vpc = (0x1000 + i).toString(16).padStart(12, '0');
          // One message at a time, as the router applies them; each apply that resolves is a PUBACK.
          await store.apply([insert(reg(vpc, '10.1.1.1/32', `2001:db8:1::${i.toString(16)}:1`, 'node1'))]).then(() => acknowledged++, () => undefined);
        }
      } finally {
        writing = false;
        await Promise.all(readers);
      }
      expect(failedReads).to.be.above(0);
      expect(acknowledged).to.equal(400);
      expect(await store.count()).to.equal(400);
      await store.close();
    });

    it('/state with hostile query strings while workers register: a 400 without database text, zero registrations lost', async () => {
      const { router, url: mqttUrl } = await startTestRouter({ dbUrl: url, health: { port: 0, host: '127.0.0.1' } });
      const agents = await Promise.all(['node1', 'node2', 'node3', 'node4'].map((worker) => FakeAgent.connect(mqttUrl, worker)));
      let registering = true;
      const answers = new Map<number, number>();
      const bodies: string[] = [];
      const hammer = async (): Promise<void> => {
        for (let i = 0; registering; i++) {
          const worker = ['%00', 'node1%00', 'x'.repeat(3000), "node1'--", 'node2'][i % 5];
          const response = await fetch(`http://127.0.0.1:${router.healthPort}/state?worker=${worker}`);
          answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
          if (response.status !== 200) bodies.push(await response.text());
          else await response.body?.cancel();
        }
      };
      const hammers = [hammer(), hammer()];
      try {
        await Promise.all(
          agents.map(async (agent, w) => {
            for (let i = 0; i < 50; i++) await agent.register(`10.${w}.${i}.1/32`, `2001:db8:${w + 1}::${(0x100 + i).toString(16)}:1`);
          }),
        );
        await waitFor(async () => (await router.store.count()) === 200, { what: 'all 200 registrations in the store' });
      } finally {
        registering = false;
        await Promise.all(hammers);
        await Promise.all(agents.map((a) => a.close()));
        await router.stop();
      }
      expect([...answers.keys()].sort()).to.deep.equal([200, 400]);
      expect(new Set(bodies.map((b) => b.replace(/"[^"]*"(… \(\d+ characters\))?/, 'NAME')))).to.deep.equal(new Set(['worker name NAME must be 1 to 253 characters of A-Z a-z 0-9 . _ -\n']));
      const reopened = await openStore(url, { logger: memoryLogger() });
      expect(await reopened.count()).to.equal(200);
      await reopened.close();
    });

    it('lets one router at a time be active: a second waits for the first to close', async () => {
      const first = await openStore(url, { logger: memoryLogger() });
      const log = memoryLogger();
      let secondOpen = false;
      const second = openStore(url, { logger: log }).then((s) => {
        secondOpen = true;
        return s;
      });
      await waitFor(() => log.lines.some((l) => /standby/.test(String(l.msg))), { what: 'the second store to wait as standby' });
      expect(secondOpen).to.equal(false);
      await first.apply([insert(reg(A, '10.1.1.1/32', '2001:1::4d2:1', 'node1'))]);
      await first.close();
      const active = await second;
      expect(await active.count()).to.equal(1);
      await active.close();
    });
  });
});
