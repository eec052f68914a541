import { expect } from 'chai';
import { KeyedLock, mapLimit } from './context.js';

describe('controllers/context: allocation lock and bounded fan-out', () => {
  it('KeyedLock runs tasks of one key one after another, other keys alongside', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = lock.run('k', async () => {
      events.push('first start');
      await held;
      events.push('first end');
    });
    const second = lock.run('k', async () => {
      events.push('second');
    });
    const other = lock.run('other', async () => {
      events.push('other');
    });
    await other;
    expect(events).to.deep.equal(['first start', 'other']);
    release();
    await Promise.all([first, second]);
    expect(events).to.deep.equal(['first start', 'other', 'first end', 'second']);
  });

  it('KeyedLock goes on after a failed task', async () => {
    const lock = new KeyedLock();
    await lock.run('k', async () => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(await lock.run('k', async () => 42)).to.equal(42);
  });

  it('mapLimit keeps at most limit tasks in flight and reports each outcome in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (n === 4) throw new Error('four');
      return n * 10;
    });
    expect(peak).to.equal(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String((r.reason as Error).message)))).to.deep.equal([10, 20, 30, 'four', 50, 60]);
  });
});
