// The per-worker registration counts behind the quota: the store is counted
// once per worker, then each write moves the count, and a write that may not
// have committed makes the next check count again.
import { expect } from 'chai';
import { RegistrationCounts } from './quota.js';

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
    counts.moved(undefined, 'node1', true); // a new network
    counts.moved('node1', 'node1', true); // a network it already held
    expect(await counts.of('node1')).to.equal(6);
    counts.moved('node1', undefined, true); // a deregister
    counts.moved('node1', undefined, true);
    expect(await counts.of('node1')).to.equal(4);
    expect(reads).to.deep.equal(['node1']);
  });

  it('moves a network from one worker\'s count to the other\'s', async () => {
    await counts.of('node1');
    await counts.of('node2');
    counts.moved('node2', 'node1', true);
    expect([await counts.of('node1'), await counts.of('node2')]).to.deep.equal([6, 0]);
    expect(reads).to.deep.equal(['node1', 'node2']);
  });

  it('counts again the workers a write touched that may not have committed', async () => {
    await counts.of('node1');
    await counts.of('node2');
    counts.moved('node2', 'node1', false);
    stored.set('node1', 6); // it had committed after all
    stored.set('node2', 0);
    expect([await counts.of('node1'), await counts.of('node2')]).to.deep.equal([6, 0]);
    expect(reads).to.deep.equal(['node1', 'node2', 'node1', 'node2']);
  });
});
