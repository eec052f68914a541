// The per-worker registration counts behind the quota: the store is counted
// once per worker, then each write moves the count, and a write that may not
// have committed makes the next check count again.
import { expect } from 'chai';
import { RegistrationCounts } from './quota.js';
import type { Mutation } from './routes.js';

const NETWORK = '10.1.1.1/32';
const insert = (worker: string): Mutation => ({ op: 'insert', registration: { vpc: '0000000004d2', network: NETWORK, endpoint: '2001:db8::4d2:1', worker, created: 0 } });
const remove = (worker: string): Mutation => ({ op: 'delete', vpc: '0000000004d2', network: NETWORK, worker });

describe('router: registration counts for the quota', () => {
  let reads: string[];
  let stored: Map<string, number>;
  let counts: RegistrationCounts;

  beforeEach(() => {
    reads = [];
    stored = new Map([
      ['node1', 5],
      ['node2', 1],
    ]);
    counts = new RegistrationCounts(async (worker) => (reads.push(worker), stored.get(worker) ?? 0));
  });

  it('counts a worker in the store once, then follows its writes', async () => {
    expect(await counts.of('node1')).to.equal(5);
    counts.written([insert('node1')], true); // a new network
    counts.written([remove('node1'), insert('node1')], true); // a network it already held
    expect(await counts.of('node1')).to.equal(6);
    counts.written([remove('node1')], true); // a deregister
    counts.written([remove('node1')], true);
    expect(await counts.of('node1')).to.equal(4);
    expect(reads).to.deep.equal(['node1']);
  });

  it('moves a network from one worker\'s count to the other\'s', async () => {
    await counts.of('node1');
    await counts.of('node2');
    counts.written([remove('node2'), insert('node1')], true);
    expect([await counts.of('node1'), await counts.of('node2')]).to.deep.equal([6, 0]);
    expect(reads).to.deep.equal(['node1', 'node2']);
  });

  it('counts again the workers a write touched that may not have committed', async () => {
    await counts.of('node1');
    await counts.of('node2');
    counts.written([remove('node2'), insert('node1')], false);
    stored.set('node1', 6); // it had committed after all
    stored.set('node2', 0);
    expect([await counts.of('node1'), await counts.of('node2')]).to.deep.equal([6, 0]);
    expect(reads).to.deep.equal(['node1', 'node2', 'node1', 'node2']);
  });
});
