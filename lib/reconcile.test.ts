import { expect } from 'chai';
import { BehaviorSubject, Subject, filter, firstValueFrom, take, toArray } from 'rxjs';
import { type PassResult, isConverged, reconcile } from './reconcile.js';

type Action = { op: 'add' | 'remove'; key: string };

/** A toy world: a set of keys, reconciled towards the desired set. */
function setWorld() {
  const world = new Set<string>();
  const diff = (desired: Set<string>, observed: Set<string>): Action[] => [
    ...[...desired].filter((k) => !observed.has(k)).map((key) => ({ op: 'add' as const, key })),
    ...[...observed].filter((k) => !desired.has(k)).map((key) => ({ op: 'remove' as const, key })),
  ];
  const apply = async (actions: Action[]) => {
    for (const a of actions) (a.op === 'add' ? world.add(a.key) : world.delete(a.key));
  };
  return { world, diff, apply, observe: async () => new Set(world) };
}

describe('reconcile loop', () => {
  it('converges the world to the desired state and then reports no actions', async () => {
    const w = setWorld();
    const desired$ = new BehaviorSubject(new Set(['a', 'b']));
    const results = reconcile({ name: 't', desired$, ...w, resyncIntervalMs: 0 });
    const passes = await firstValueFrom(results.pipe(take(2), toArray()));
    expect(passes[0]!.actions).to.have.length(2);
    expect(passes[1]!.actions).to.deep.equal([]);
    expect([...w.world].sort()).to.deep.equal(['a', 'b']);
  });

  it('follows changes of the desired state', async () => {
    const w = setWorld();
    const desired$ = new BehaviorSubject(new Set(['a']));
    const results = reconcile({ name: 't', desired$, ...w, resyncIntervalMs: 0 });
    const final = await firstValueFrom(
      results.pipe(
        filter((r) => {
          if (isConverged(r) && w.world.has('a')) desired$.next(new Set(['c']));
          return isConverged(r) && w.world.has('c');
        }),
      ),
    );
    expect(final.ok).to.equal(true);
    expect([...w.world]).to.deep.equal(['c']);
  });

  it('retries a failing apply with backoff and keeps running', async () => {
    const w = setWorld();
    let calls = 0;
    const results = reconcile({
      name: 't',
      desired$: new BehaviorSubject(new Set(['a'])),
      ...w,
      apply: async (actions: Action[]) => {
        calls += 1;
        if (calls < 3) throw new Error(`transient ${calls}`);
        await w.apply(actions);
      },
      backoff: { initialMs: 1, maxMs: 5 },
      resyncIntervalMs: 0,
    });
    const all = await firstValueFrom(results.pipe(take(4), toArray()));
    expect(all.map((r) => r.ok)).to.deep.equal([false, false, true, true]);
    expect(all[1]!.failuresBefore).to.equal(1);
    expect(String(all[0]!.error)).to.match(/transient 1/);
    expect(isConverged(all[3]!)).to.equal(true);
  });

  it('repairs drift on the periodic resync without any trigger', async () => {
    const w = setWorld();
    const results = reconcile({ name: 't', desired$: new BehaviorSubject(new Set(['a'])), ...w, resyncIntervalMs: 5 });
    let drifted = false;
    const repaired = firstValueFrom(
      results.pipe(
        filter((r) => {
          if (isConverged(r) && !drifted) {
            drifted = true;
            w.world.delete('a'); // someone removed our object behind our back
            w.world.add('stray');
            return false;
          }
          return drifted && r.actions.length === 2;
        }),
      ),
    );
    const pass = await repaired;
    expect(pass.actions).to.deep.include.members([{ op: 'add', key: 'a' }, { op: 'remove', key: 'stray' }]);
  });

  it('coalesces triggers that arrive during a pass into one more pass', async () => {
    const w = setWorld();
    const triggers$ = new Subject<void>();
    let observing = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const results = reconcile({
      name: 't',
      desired$: new BehaviorSubject(new Set<string>()),
      ...w,
      observe: async () => {
        observing += 1;
        if (observing === 1) await gate;
        return new Set(w.world);
      },
      triggers$,
      resyncIntervalMs: 0,
    });
    const two = firstValueFrom(results.pipe(take(2), toArray()));
    for (let i = 0; i < 10; i++) triggers$.next();
    release();
    await two;
    expect(observing).to.equal(2);
  });

  it('backs off when a diff never goes away instead of spinning', async () => {
    // The world refuses the change: every pass finds the same action.
    const results = reconcile({
      name: 't',
      desired$: new BehaviorSubject(1),
      observe: async () => 0,
      diff: (d: number, o: number) => (d === o ? [] : ['set']),
      apply: async () => undefined,
      backoff: { initialMs: 20, maxMs: 20, jitter: 0 },
      resyncIntervalMs: 0,
    });
    const started = Date.now();
    await firstValueFrom(results.pipe(take(4), toArray()));
    // pass 1 → verify immediately → then two backed-off passes of 20 ms each
    expect(Date.now() - started).to.be.at.least(35);
  });
});
