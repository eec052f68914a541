// The announcement order's memory of each worker's mark: the store is read
// once per worker, written marks are used at once, and a write that may not
// have committed makes it ask the store again.
import { expect } from 'chai';
import { memoryLogger } from '../lib/log.js';
import { Counter, Registry } from '../lib/metrics.js';
import { AnnouncementOrder } from './sequence.js';

describe('router: announcement order marks', () => {
  let reads: string[];
  let stored: Map<string, number>;
  let order: AnnouncementOrder;

  beforeEach(() => {
    reads = [];
    stored = new Map([['node1', 10]]);
    const store = { appliedSequence: async (worker: string) => (reads.push(worker), stored.get(worker)) };
    const dropped = new Counter({ name: 'dropped', help: 'test', labelNames: ['kind'] as const, registers: [new Registry()] });
    order = new AnnouncementOrder(store, dropped, memoryLogger('router'));
  });

  it('reads a worker\'s mark from the store once, then goes by what it wrote', async () => {
    expect(await order.admit('node1', 'register', 10)).to.deep.equal({ stale: true });
    const admitted = await order.admit('node1', 'register', 11);
    expect(admitted).to.deep.equal({ stale: false, applied: { worker: 'node1', sequence: 11 } });
    order.written({ worker: 'node1', sequence: 11 }, true);
    expect(await order.admit('node1', 'deregister', 11), 'the written mark, not the store\'s 10').to.deep.equal({ stale: true });
    expect(await order.admit('node2', 'register', 1)).to.deep.include({ stale: false });
    expect(reads).to.deep.equal(['node1', 'node2']);
  });

  it('asks the store again after a write that may not have committed', async () => {
    await order.admit('node1', 'register', 11);
    order.written({ worker: 'node1', sequence: 11 }, false);
    stored.set('node1', 11); // it had committed after all
    expect(await order.admit('node1', 'register', 11)).to.deep.equal({ stale: true });
    expect(reads).to.deep.equal(['node1', 'node1']);
  });

  it('applies unsequenced messages without reading anything', async () => {
    expect(await order.admit('node1', 'register', undefined)).to.deep.equal({ stale: false });
    expect(reads).to.deep.equal([]);
  });
});
