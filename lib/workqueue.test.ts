import { expect } from 'chai';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { createWorkQueue } from './workqueue.js';

/** A promise with its resolve function, to hold a handler mid-run. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('lib/workqueue', () => {
  it('processes every added key and dedupes keys that are still waiting', async () => {
    const seen: string[] = [];
    const hold = gate();
    const q = createWorkQueue({
      name: 't',
      concurrency: 1,
      process: async (key) => {
        if (key === 'first') await hold.opened;
        seen.push(key);
      },
    });
    q.add('first'); // occupies the only slot
    q.add('a');
    q.add('b');
    q.add('a'); // still waiting: deduped
    expect(q.depth).to.equal(2);
    hold.open();
    await q.idle();
    expect(seen).to.deep.equal(['first', 'a', 'b']);
    await q.shutdown();
  });

  it('never runs one key twice at once, and reruns a key added during its run', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const firstRun = gate();
    const release = gate();
    const q = createWorkQueue({
      name: 't',
      concurrency: 4,
      process: async () => {
        runs += 1;
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        if (runs === 1) {
          firstRun.open();
          await release.opened;
        }
        concurrent -= 1;
      },
    });
    q.add('k');
    await firstRun.opened;
    q.add('k'); // arrives while running: one more run afterwards
    q.add('k'); // deduped with the previous add
    expect(q.inFlight).to.equal(1);
    release.open();
    await q.idle();
    expect(runs).to.equal(2);
    expect(maxConcurrent).to.equal(1);
    await q.shutdown();
  });

  it('runs different keys in parallel up to the concurrency limit', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    const release = gate();
    const q = createWorkQueue({
      name: 't',
      concurrency: 3,
      process: async () => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await release.opened;
        concurrent -= 1;
      },
    });
    for (const key of ['a', 'b', 'c', 'd', 'e']) q.add(key);
    expect(q.inFlight).to.equal(3);
    expect(q.depth).to.equal(2);
    release.open();
    await q.idle();
    expect(maxConcurrent).to.equal(3);
    await q.shutdown();
  });

  it('retries a failing key with backoff until it succeeds, resetting the failure count', async () => {
    let calls = 0;
    const q = createWorkQueue({
      name: 't',
      backoff: { initialMs: 5, maxMs: 20, jitter: 0 },
      process: async () => {
        calls += 1;
        if (calls < 3) throw new Error(`transient ${calls}`);
      },
    });
    const results = firstValueFrom(q.results$.pipe(take(3), toArray()));
    q.add('k');
    const all = await results;
    expect(all.map((r) => r.ok)).to.deep.equal([false, false, true]);
    expect(all.map((r) => r.failuresBefore)).to.deep.equal([0, 1, 2]);
    expect(all[0]!.nextInMs).to.equal(5);
    expect(all[1]!.nextInMs).to.equal(10);
    expect(String(all[0]!.error)).to.match(/transient 1/);
    await q.shutdown();
  });

  it('looks at a key again when the handler asks for a requeue', async () => {
    let calls = 0;
    const q = createWorkQueue({
      name: 't',
      process: async () => {
        calls += 1;
        return calls < 3 ? { requeueAfterMs: 5 } : undefined;
      },
    });
    const third = firstValueFrom(q.results$.pipe(filter(() => calls === 3)));
    q.add('k');
    const result = await third;
    expect(result.ok).to.equal(true);
    expect(result.nextInMs).to.equal(undefined);
    await q.shutdown();
  });

  it('re-adds every listed key on the periodic resync without any event', async () => {
    const keys = ['x', 'y'];
    const seen = new Set<string>();
    const q = createWorkQueue({
      name: 't',
      resyncIntervalMs: 10,
      listKeys: () => keys,
      process: async (key) => {
        seen.add(key);
      },
    });
    await firstValueFrom(q.results$.pipe(filter(() => seen.size === 2)));
    expect([...seen].sort()).to.deep.equal(['x', 'y']);
    await q.shutdown();
  });

  it('shutdown waits for running handlers and drops queued and delayed keys', async () => {
    const seen: string[] = [];
    const release = gate();
    const q = createWorkQueue({
      name: 't',
      concurrency: 1,
      process: async (key) => {
        if (key === 'running') await release.opened;
        seen.push(key);
      },
    });
    q.add('running');
    q.add('queued');
    q.addAfter('delayed', 1);
    const stopped = q.shutdown();
    release.open();
    await stopped;
    expect(seen).to.deep.equal(['running']);
    q.add('after');
    expect(q.depth).to.equal(0);
  });
});
