// The route computation of SPEC §9, message by message, with the clock injected.
import { expect } from 'chai';
import { parseEndpoint } from './core.js';
import { diffRegistrationSet, type Plan, planDeregister, planRegister, planResync, type Registration, VpcRegistrations } from './routes.js';
import { MemoryStore } from './store.js';

type Row = [worker: string, network: string, endpoint: string, segment: string, status: 'ADD' | 'DELETE'];

// One VPC (0x123412341234) on three nodes, as in the original router's features.
const E1 = '2001:1::1234:1234:1234:1';
const E2 = '2001:2::1234:1234:1234:1';
const E3 = '2001:3::1234:1234:1234:1';
const E3b = '2001:3::1234:1234:1234:2'; // a second attachment on node3

/** A router's view of one VPC, driven message by message; the store is fed the plans' mutations. */
class Vpc {
  readonly state: VpcRegistrations;
  readonly store = new MemoryStore();
  now = 1_000_000;

  constructor(readonly holddownMs = 10_000) {
    this.state = new VpcRegistrations(parseEndpoint(E1).vpc);
  }

  private request(worker: string, network: string, endpoint: string) {
    return { vpc: parseEndpoint(endpoint).vpc, network, endpoint, worker };
  }

  private async rows(plan: Plan): Promise<Row[]> {
    await this.store.apply(plan.mutations);
    return plan.routes.map(({ worker, route }) => [worker, route.network, route.srv6Endpoint, route.srv6Segments.join(','), route.status]);
  }

  register(worker: string, network: string, endpoint: string): Promise<Row[]> {
    return this.rows(planRegister(this.state, this.request(worker, network, endpoint), this.now, this.holddownMs));
  }

  deregister(worker: string, network: string, endpoint: string): Promise<Row[]> {
    return this.rows(planDeregister(this.state, this.request(worker, network, endpoint)));
  }

  stored(): Array<Omit<Registration, 'created' | 'vpc'>> {
    return [...this.state.all()].map(({ network, endpoint, worker }) => ({ network, endpoint, worker }));
  }
}

/** node1 and node2 registered one network each. */
async function twoNodes(): Promise<Vpc> {
  const vpc = new Vpc();
  await vpc.register('node1', '10.1.1.1/32', E1);
  await vpc.register('node2', '10.1.1.2/32', E2);
  return vpc;
}

const sorted = (rows: Row[]): Row[] => [...rows].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));

describe('route computation (SPEC §9)', () => {
  it('the SPEC example: three nodes register, then node1 deregisters', async () => {
    const vpc = new Vpc();
    expect(await vpc.register('node1', '10.1.1.1/32', E1)).to.deep.equal([]);
    expect(sorted(await vpc.register('node2', '10.1.1.2/32', E2))).to.deep.equal([
      ['node1', '10.1.1.2/32', E1, E2, 'ADD'],
      ['node2', '10.1.1.1/32', E2, E1, 'ADD'],
    ]);
    expect(sorted(await vpc.register('node3', '10.1.1.3/32', E3))).to.deep.equal([
      ['node1', '10.1.1.3/32', E1, E3, 'ADD'],
      ['node2', '10.1.1.3/32', E2, E3, 'ADD'],
      ['node3', '10.1.1.1/32', E3, E1, 'ADD'],
      ['node3', '10.1.1.2/32', E3, E2, 'ADD'],
    ]);
    // The SPEC's example stops at two nodes when node1 leaves; with node3 there
    // too, node1 forgets both peers and both peers forget node1.
    expect(sorted(await vpc.deregister('node1', '10.1.1.1/32', E1))).to.deep.equal([
      ['node1', '10.1.1.2/32', E1, E2, 'DELETE'],
      ['node1', '10.1.1.3/32', E1, E3, 'DELETE'],
      ['node2', '10.1.1.1/32', E2, E1, 'DELETE'],
      ['node3', '10.1.1.1/32', E3, E1, 'DELETE'],
    ]);
    expect(await vpc.store.count()).to.equal(2);
  });

  it('the SPEC example with two nodes: deregistering node1 sends 2 DELETEs', async () => {
    const vpc = await twoNodes();
    expect(sorted(await vpc.deregister('node1', '10.1.1.1/32', E1))).to.deep.equal([
      ['node1', '10.1.1.2/32', E1, E2, 'DELETE'],
      ['node2', '10.1.1.1/32', E2, E1, 'DELETE'],
    ]);
    expect(vpc.stored()).to.deep.equal([{ network: '10.1.1.2/32', endpoint: E2, worker: 'node2' }]);
  });

  it('move: a network registered from another worker and endpoint leaves the old one first', async () => {
    const vpc = await twoNodes();
    expect(await vpc.register('node3', '10.1.1.1/32', E3)).to.deep.equal([
      ['node1', '10.1.1.2/32', E1, E2, 'DELETE'],
      ['node2', '10.1.1.1/32', E2, E1, 'DELETE'],
      ['node3', '10.1.1.2/32', E3, E2, 'ADD'],
      ['node2', '10.1.1.1/32', E2, E3, 'ADD'],
    ]);
    expect(vpc.stored()).to.have.deep.members([
      { network: '10.1.1.2/32', endpoint: E2, worker: 'node2' },
      { network: '10.1.1.1/32', endpoint: E3, worker: 'node3' },
    ]);
  });

  it('duplicate registration: a lone endpoint never gets routes about itself, and the store keeps one row', async () => {
    const vpc = new Vpc();
    for (let i = 0; i < 3; i++) {
      expect(await vpc.register('node1', '10.1.1.1/32', E1)).to.deep.equal([]);
      vpc.now += 1000;
    }
    expect(await vpc.store.count()).to.equal(1);
  });

  it('duplicate registration with peers: peers get nothing, the worker its peer ADDs again (idempotent), the store is untouched', async () => {
    const vpc = await twoNodes();
    vpc.now += 1000;
    const plan = planRegister(vpc.state, { vpc: vpc.state.vpc, network: '10.1.1.2/32', endpoint: E2, worker: 'node2' }, vpc.now);
    expect(plan.mutations).to.deep.equal([]);
    expect(await vpc.register('node2', '10.1.1.2/32', E2)).to.deep.equal([['node2', '10.1.1.1/32', E2, E1, 'ADD']]);
    expect(await vpc.store.count()).to.equal(2);
  });

  it('a registration that differs (another endpoint: a move) is withdrawn and announced again (SPEC §9)', async () => {
    const vpc = await twoNodes();
    vpc.now += 1000;
    expect(await vpc.register('node3', '10.1.1.2/32', E3)).to.deep.equal([
      ['node2', '10.1.1.1/32', E2, E1, 'DELETE'],
      ['node1', '10.1.1.2/32', E1, E2, 'DELETE'],
      ['node3', '10.1.1.1/32', E3, E1, 'ADD'],
      ['node1', '10.1.1.2/32', E1, E3, 'ADD'],
    ]);
  });

  it('multiple networks per endpoint: peers learn each network, the endpoint learns its peers once', async () => {
    const vpc = await twoNodes();
    const rows = [...(await vpc.register('node3', '10.1.1.3/32', E3)), ...(await vpc.register('node3', '192.168.3.0/24', E3))];
    expect(sorted(rows)).to.deep.equal([
      ['node1', '10.1.1.3/32', E1, E3, 'ADD'],
      ['node1', '192.168.3.0/24', E1, E3, 'ADD'],
      ['node2', '10.1.1.3/32', E2, E3, 'ADD'],
      ['node2', '192.168.3.0/24', E2, E3, 'ADD'],
      ['node3', '10.1.1.1/32', E3, E1, 'ADD'],
      ['node3', '10.1.1.2/32', E3, E2, 'ADD'],
    ]);
  });

  it('deregistering one of several networks withdraws only that network', async () => {
    const vpc = new Vpc();
    await vpc.register('node1', '10.1.1.1/32', E1);
    await vpc.register('node3', '10.1.1.3/32', E3);
    await vpc.register('node3', '192.168.3.0/24', E3);
    expect(await vpc.deregister('node3', '192.168.3.0/24', E3)).to.deep.equal([['node1', '192.168.3.0/24', E1, E3, 'DELETE']]);
    // The last one also takes the endpoint's routes to its peers away.
    expect(sorted(await vpc.deregister('node3', '10.1.1.3/32', E3))).to.deep.equal([
      ['node1', '10.1.1.3/32', E1, E3, 'DELETE'],
      ['node3', '10.1.1.1/32', E3, E1, 'DELETE'],
    ]);
    expect(await vpc.store.count()).to.equal(1);
  });

  it('deregister of something not stored (wrong worker or endpoint) does nothing', async () => {
    const vpc = await twoNodes();
    for (const [worker, endpoint] of [['node2', E1], ['node1', E2]] as const) {
      const plan = planDeregister(vpc.state, { vpc: vpc.state.vpc, network: '10.1.1.1/32', endpoint, worker });
      expect(plan).to.deep.equal({ routes: [], mutations: [], notFound: true });
    }
    expect(await vpc.store.count()).to.equal(2);
  });

  it('two attachments of one VPC on the same node reach each other (endpoints compared, not workers)', async () => {
    const vpc = new Vpc();
    await vpc.register('node3', '10.1.1.3/32', E3);
    expect(sorted(await vpc.register('node3', '10.1.1.4/32', E3b))).to.deep.equal([
      ['node3', '10.1.1.3/32', E3b, E3, 'ADD'],
      ['node3', '10.1.1.4/32', E3, E3b, 'ADD'],
    ]);
  });

  describe('rejoin hold-down', () => {
    /** node1 and node2 joined; node3 registered two networks at `now`. */
    async function joined(): Promise<Vpc> {
      const vpc = await twoNodes();
      await vpc.register('node3', '10.1.1.3/32', E3);
      vpc.now += 1;
      await vpc.register('node3', '10.1.1.4/32', E3);
      return vpc;
    }

    it('within the hold-down, a second network of the endpoint does not resend the peer routes', async () => {
      const vpc = new Vpc();
      await vpc.register('node1', '10.1.1.1/32', E1);
      await vpc.register('node3', '10.1.1.3/32', E3);
      vpc.now += 9_999;
      expect(await vpc.register('node3', '10.1.1.4/32', E3)).to.deep.equal([['node1', '10.1.1.4/32', E1, E3, 'ADD']]);
    });

    it('after the hold-down, a re-join sends the endpoint its peers again (the original router\'s rejoin feature); peers get nothing', async () => {
      const vpc = await joined();
      vpc.now += 60_000;
      const rows = [...(await vpc.register('node3', '10.1.1.3/32', E3)), ...(await vpc.register('node3', '10.1.1.4/32', E3))];
      // Identical registrations: peers get nothing; the endpoint its peers again (ADDs are idempotent).
      expect(rows).to.deep.equal([
        ['node3', '10.1.1.1/32', E3, E1, 'ADD'],
        ['node3', '10.1.1.2/32', E3, E2, 'ADD'],
        ['node3', '10.1.1.1/32', E3, E1, 'ADD'],
        ['node3', '10.1.1.2/32', E3, E2, 'ADD'],
      ]);
    });

    it('the hold-down boundary is exclusive: exactly 10 s later counts as a new join', async () => {
      const vpc = await joined();
      vpc.now += 10_000 - 1; // 10.1.1.4/32 is 9.999 s old, 10.1.1.3/32 exactly 10 s
      expect((await vpc.register('node3', '10.1.1.3/32', E3)).filter((r) => r[0] === 'node3')).to.deep.equal([]);
      const later = await joined();
      later.now += 10_000;
      expect((await later.register('node3', '10.1.1.3/32', E3)).filter((r) => r[0] === 'node3')).to.have.length(2);
    });

    it('the hold-down is configurable', async () => {
      const vpc = new Vpc(0);
      await vpc.register('node1', '10.1.1.1/32', E1);
      await vpc.register('node3', '10.1.1.3/32', E3);
      expect(await vpc.register('node3', '10.1.1.4/32', E3)).to.deep.include(['node3', '10.1.1.1/32', E3, E1, 'ADD']);
    });
  });

  it('network strings are echoed verbatim', async () => {
    const vpc = new Vpc();
    await vpc.register('node1', '10.1.1.1/24', E1);
    expect(await vpc.register('node2', '2001:DB8:0::1/64', E2)).to.deep.equal([
      ['node2', '10.1.1.1/24', E2, E1, 'ADD'],
      ['node1', '2001:DB8:0::1/64', E1, E2, 'ADD'],
    ]);
  });

  it('resync: every ADD a worker should have, across its endpoints and VPCs', async () => {
    const vpc = await twoNodes();
    await vpc.register('node3', '10.1.1.3/32', E3);
    await vpc.register('node3', '10.1.1.4/32', E3b);
    const other = new VpcRegistrations('000000000002', [
      { vpc: '000000000002', network: '10.9.0.1/32', endpoint: '2001:3::2:1', worker: 'node3', created: 0 },
      { vpc: '000000000002', network: '10.9.0.2/32', endpoint: '2001:1::2:1', worker: 'node1', created: 0 },
    ]);
    const routes = planResync([vpc.state, other], 'node3').map((r) => [r.network, r.srv6Endpoint, r.srv6Segments[0], r.status]);
    expect(routes).to.have.deep.members([
      ['10.1.1.1/32', E3, E1, 'ADD'],
      ['10.1.1.2/32', E3, E2, 'ADD'],
      ['10.1.1.4/32', E3, E3b, 'ADD'],
      ['10.1.1.1/32', E3b, E1, 'ADD'],
      ['10.1.1.2/32', E3b, E2, 'ADD'],
      ['10.1.1.3/32', E3b, E3, 'ADD'],
      ['10.9.0.2/32', '2001:3::2:1', '2001:1::2:1', 'ADD'],
    ]);
    expect(routes).to.have.length(7);
    expect(planResync([vpc.state], 'node9')).to.deep.equal([]);
  });

  it('the store mutations reproduce the working copy', async () => {
    const vpc = await (async () => {
      const v = await twoNodes();
      await v.register('node3', '10.1.1.1/32', E3);
      await v.deregister('node2', '10.1.1.2/32', E2);
      return v;
    })();
    expect(await vpc.store.vpc(vpc.state.vpc)).to.deep.equal([...vpc.state.all()]);
  });
});

describe('registration set difference (anti-entropy)', () => {
  const vpc = parseEndpoint(E1).vpc;
  const stored = (worker: string, network: string, endpoint: string): Registration => ({ vpc, network, endpoint, worker, created: 0 });
  const request = (worker: string, network: string, endpoint: string) => ({ vpc, network, endpoint, worker });

  it('leaves identical registrations alone; registers what is missing, moved or another worker\'s; deregisters what is gone', () => {
    const held = [stored('node3', '10.1.1.3/32', E3), stored('node3', '10.1.1.4/32', E3), stored('node3', '10.1.1.5/32', E3)];
    const wanted = [
      request('node3', '10.1.1.3/32', E3), // identical
      request('node3', '10.1.1.4/32', E3b), // another attachment now
      request('node3', '10.1.1.6/32', E3), // new
      request('node3', '10.1.1.6/32', E3), // duplicated in the set
    ];
    expect(diffRegistrationSet(held, wanted)).to.deep.equal({
      register: [request('node3', '10.1.1.4/32', E3b), request('node3', '10.1.1.6/32', E3)],
      deregister: [request('node3', '10.1.1.5/32', E3)],
    });
  });

  it('a set equal to the store changes nothing', () => {
    const held = [stored('node1', '10.1.1.1/32', E1)];
    expect(diffRegistrationSet(held, [request('node1', '10.1.1.1/32', E1)])).to.deep.equal({ register: [], deregister: [] });
  });

  it('an empty set deregisters everything the worker held', () => {
    expect(diffRegistrationSet([stored('node1', '10.1.1.1/32', E1)], [])).to.deep.equal({ register: [], deregister: [request('node1', '10.1.1.1/32', E1)] });
  });
});
