// The cache of recently used VPCs: bounded by registrations, least recently
// used first out; and in the router core, a VPC whose write may not have
// committed is read again, so the next message is planned on what the store
// holds.
import { expect } from 'chai';
import { memoryLogger } from '../lib/log.js';
import { createRegistry } from '../lib/metrics.js';
import { encodeMessage } from '../proto/remote.js';
import { RouterCore } from './core.js';
import { routerMetrics } from './metrics.js';
import type { Mutation, Registration } from './routes.js';
import { MemoryStore } from './store.js';
import type { AppliedSequence } from './store.js';
import { VpcCache } from './vpc-cache.js';

const reg = (vpc: string, n: number): Registration => ({ vpc, network: `10.1.${n}.1/32`, endpoint: `2001:db8:${n}::4d2:1`, worker: `node${n}`, created: 0 });
const regs = (vpc: string, count: number): Registration[] => Array.from({ length: count }, (_, n) => reg(vpc, n + 1));

describe('router: VPC cache', () => {
  it('keeps at most its bound of registrations, dropping the least recently used VPCs first', () => {
    const cache = new VpcCache(5);
    cache.set('a', regs('a', 2));
    cache.set('b', regs('b', 2));
    expect(cache.get('a')).to.have.length(2); // a is now the most recent
    cache.set('c', regs('c', 2)); // 6 > 5: b goes
    expect([cache.get('a')?.length, cache.get('b'), cache.get('c')?.length]).to.deep.equal([2, undefined, 2]);
    cache.set('a', regs('a', 3)); // replaces a's 2: 5 in all
    expect([cache.get('a')?.length, cache.get('c')?.length]).to.deep.equal([3, 2]);
  });

  it('never keeps a VPC larger than the bound, and forgets a dropped one', () => {
    const cache = new VpcCache(5);
    cache.set('big', regs('big', 6));
    cache.set('a', regs('a', 1));
    cache.drop('a');
    expect([cache.get('big'), cache.get('a')]).to.deep.equal([undefined, undefined]);
  });

  it('in the core: after a write that may not have committed, the next message in the VPC reads what the store holds', async () => {
    // A store whose next write commits and then fails to say so (a COMMIT whose answer was lost).
    class LosingAnswers extends MemoryStore {
      loseNext = false;
      override async apply(mutations: readonly Mutation[], applied?: AppliedSequence): Promise<void> {
        await super.apply(mutations, applied);
        if (this.loseNext) {
          this.loseNext = false;
          throw new Error('connection lost during COMMIT');
        }
      }
    }
    const store = new LosingAnswers();
    const core = new RouterCore({ store, topicBase: 'galactic/', logger: memoryLogger('router'), metrics: routerMetrics(createRegistry('test', { defaults: false })) });
    const register = (worker: string, network: string, srv6Endpoint: string) => core.handle(`galactic/${worker}/send`, encodeMessage({ kind: 'register', network, srv6Endpoint }));
    await register('node1', '10.1.1.1/32', '2001:db8:1::4d2:1');
    store.loseNext = true;
    let failed: unknown;
    await register('node2', '10.1.2.1/32', '2001:db8:2::4d2:1').catch((error: unknown) => (failed = error));
    expect(String(failed)).to.match(/connection lost during COMMIT/);
    // node2's registration is stored after all: node3 must learn both peers, and both must learn node3.
    const routes = await register('node3', '10.1.3.1/32', '2001:db8:3::4d2:1');
    expect(routes.map((p) => `${p.worker} ${p.message.kind === 'route' ? p.message.network : ''}`).sort()).to.deep.equal([
      'node1 10.1.3.1/32',
      'node2 10.1.3.1/32',
      'node3 10.1.1.1/32',
      'node3 10.1.2.1/32',
    ]);
  });
});
