import { expect } from 'chai';
import type { KubeObject } from './kube.js';
import { Store } from './store.js';

type Obj = KubeObject & { data?: string };

/** A watch cache that lags behind the API server until `sync` is called. */
function laggingCache() {
  const objects = new Map<string, Obj>();
  return {
    cache: {
      get: (name: string, namespace?: string) => objects.get(`${namespace ?? ''}/${name}`),
      list: () => [...objects.values()],
    },
    sync: (object: Obj | undefined, key: string) => (object ? objects.set(key, object) : objects.delete(key)),
  };
}

const obj = (rv: string, data?: string): Obj => ({ metadata: { name: 'a', namespace: 'ns', resourceVersion: rv }, data });

describe('controllers/store: read-your-writes over the watch cache', () => {
  it('returns our own write while the cache still has the version it replaced', () => {
    const { cache, sync } = laggingCache();
    const store = new Store<Obj>(cache);
    sync(obj('1', 'old'), 'ns/a');
    store.wrote(obj('2', 'ours'), '1');
    expect(store.get('ns/a')?.data).to.equal('ours');
    store.wrote(obj('3', 'again'), '2');
    expect(store.get('ns/a')?.data).to.equal('again');
    sync(obj('2', 'ours'), 'ns/a'); // the cache catches up one step: still stale
    expect(store.get('ns/a')?.data).to.equal('again');
    sync(obj('4', 'someone else'), 'ns/a'); // newer than anything we wrote: the cache wins
    expect(store.get('ns/a')?.data).to.equal('someone else');
  });

  it('shows created objects before the cache has them, and hides deleted ones', () => {
    const { cache, sync } = laggingCache();
    const store = new Store<Obj>(cache);
    store.wrote(obj('5', 'created'));
    expect(store.get('ns/a')?.data).to.equal('created');
    expect(store.keys()).to.deep.equal(['ns/a']);
    sync(obj('5', 'created'), 'ns/a');
    store.deleted('ns/a', '5');
    expect(store.get('ns/a')).to.equal(undefined);
    expect(store.list()).to.deep.equal([]);
  });

  it('does not bring back an object we updated that has since been deleted', () => {
    const { cache, sync } = laggingCache();
    const store = new Store<Obj>(cache);
    sync(obj('1', 'old'), 'ns/a');
    store.wrote(obj('2', 'finalizer removed'), '1');
    expect(store.get('ns/a')?.data).to.equal('finalizer removed');
    sync(undefined, 'ns/a'); // the API server deleted it
    expect(store.get('ns/a')).to.equal(undefined);
  });

  it('stops trusting a write the cache never shows after the TTL', () => {
    const { cache } = laggingCache();
    let now = 0;
    const store = new Store<Obj>(cache, 1000, () => now);
    store.wrote(obj('5', 'created'));
    now = 999;
    expect(store.get('ns/a')?.data).to.equal('created');
    now = 1000;
    expect(store.get('ns/a')).to.equal(undefined);
  });
});
