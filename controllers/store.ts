// Read-your-writes over a watch cache. After the operator writes an object, its
// watch event may arrive after the next reconcile of the same key; reading the
// stale cached copy would cost a conflicting write and a retry. The store
// remembers the objects the operator wrote, and the resourceVersions they
// superseded, until the cache has caught up.
import type { KubeObject, WatchedCache } from './kube.js';
import { keyOf, parseKey } from './model.js';

interface Written<T> {
  object: T | undefined; // undefined: we deleted it
  superseded: Set<string>;
  at: number;
}

export class Store<T extends KubeObject> {
  private readonly written = new Map<string, Written<T>>();

  constructor(
    private readonly cache: WatchedCache<T>,
    /** How long a write not yet seen by the cache is trusted. */
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const { namespace, name } = parseKey(key);
    const cached = this.cache.get(name, namespace);
    const written = this.written.get(key);
    if (!written) return cached;
    const cachedVersion = cached?.metadata.resourceVersion;
    const cacheIsStale = cached
      ? cachedVersion !== undefined && written.superseded.has(cachedVersion)
      : written.object !== undefined && written.superseded.size === 0; // created by us, not seen yet (an update of an object gone from the cache: deleted)
    if (cacheIsStale && this.now() - written.at < this.ttlMs) return written.object;
    this.written.delete(key);
    return cached;
  }

  list(): T[] {
    const keys = new Set(this.cache.list().map((object) => keyOf(object.metadata)));
    for (const key of this.written.keys()) keys.add(key);
    return [...keys].map((key) => this.get(key)).filter((object): object is T => object !== undefined);
  }

  keys(): string[] {
    return this.list().map((object) => keyOf(object.metadata));
  }

  /** Records the result of a create/update/patch that replaced `previousVersion`. */
  wrote(result: T, previousVersion?: string): void {
    const key = keyOf(result.metadata);
    const entry = this.written.get(key) ?? { object: undefined, superseded: new Set<string>(), at: 0 };
    if (previousVersion) entry.superseded.add(previousVersion);
    const before = entry.object?.metadata.resourceVersion;
    if (before) entry.superseded.add(before);
    entry.object = result;
    entry.at = this.now();
    this.written.set(key, entry);
  }

  /** Records a delete of the object at `previousVersion`. */
  deleted(key: string, previousVersion?: string): void {
    const entry = this.written.get(key) ?? { object: undefined, superseded: new Set<string>(), at: 0 };
    if (previousVersion) entry.superseded.add(previousVersion);
    entry.object = undefined;
    entry.at = this.now();
    this.written.set(key, entry);
  }
}
