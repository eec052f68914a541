// The operator's only door to the Kubernetes API (client-node 1.x, typed
// API classes): the controllers, the webhook and leader election see this
// small interface, never the client library. Every request is counted, and
// every write first asks the write guard (leader election) for permission.
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  ListWatch,
  type V1Lease,
  type V1Node,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { Observable } from 'rxjs';
import { watchTriggers } from '../lib/kube-nodes.js';
import type { Counter } from '../lib/metrics.js';

export interface Resource {
  group: string;
  version: string;
  plural: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

/** An API error with its HTTP status (404 not found, 409 conflict or already exists, 422 invalid). */
export class KubeError extends Error {
  override name = 'KubeError';
  constructor(
    readonly code: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export class NotLeaderError extends Error {
  override name = 'NotLeaderError';
}

/** Pods: the one core resource the operator reads (list and get only), for address reservations. */
export const PODS: Resource = { group: '', version: 'v1', plural: 'pods' };
const isCore = (resource: Resource): boolean => resource.group === '' && resource.plural === PODS.plural;

export const isNotFound = (error: unknown): boolean => error instanceof KubeError && error.code === 404;
export const isConflict = (error: unknown): boolean => error instanceof KubeError && error.code === 409;

export interface Kube {
  list<T>(resource: Resource, options?: { fieldSelector?: string; labelSelector?: string }): Promise<ListResult<T>>;
  /** undefined when the object does not exist. */
  get<T>(resource: Resource, namespace: string, name: string): Promise<T | undefined>;
  create<T extends KubeObject>(resource: Resource, object: T): Promise<T>;
  /** PUT; conflicts (409) when object.metadata.resourceVersion is stale. */
  replace<T extends KubeObject>(resource: Resource, object: T): Promise<T>;
  /** JSON merge patch of the object (metadata.resourceVersion in the patch is a precondition). */
  patch<T>(resource: Resource, namespace: string, name: string, patch: object): Promise<T>;
  /** JSON merge patch of the status subresource. */
  patchStatus<T>(resource: Resource, namespace: string, name: string, patch: object): Promise<T>;
  /** Deletes when the uid still matches; absent objects are fine. */
  delete(resource: Resource, namespace: string, name: string, uid?: string): Promise<void>;
  /** Server-side apply (create or update) of any object, e.g. a CRD. */
  apply<T extends KubeObject>(object: T): Promise<T>;
  readonly leases: LeaseApi;
  readonly nodes: NodeApi;
  readonly config: KubeConfig;
}

export interface NodeApi {
  list(): Promise<V1Node[]>;
  /** Merge-patches annotations, only if the Node is still at resourceVersion (409 otherwise). */
  annotate(name: string, resourceVersion: string, annotations: Record<string, string>): Promise<void>;
  /** Emits whenever a Node is added, changed or deleted; the watch restarts after errors. */
  changes(): Observable<void>;
}

export interface LeaseApi {
  get(namespace: string, name: string): Promise<V1Lease | undefined>;
  create(namespace: string, lease: V1Lease): Promise<V1Lease>;
  replace(namespace: string, lease: V1Lease): Promise<V1Lease>;
}

export interface KubeOptions {
  /** kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfigPath?: string;
  /** Throws (NotLeaderError) when this process may not write. */
  writeGuard?: () => void;
  /** Counts requests by verb and resource. */
  requests?: Counter<'verb' | 'resource'>;
  fieldManager?: string;
}

export function loadKubeConfig(path?: string): KubeConfig {
  const config = new KubeConfig();
  if (path) config.loadFromFile(path);
  else config.loadFromDefault();
  return config;
}

/** Converts client-node's ApiException into a KubeError naming the API's message. */
function translate(error: unknown): never {
  if (error instanceof ApiException) {
    let body: { message?: string; reason?: string } = {};
    try {
      body = typeof error.body === 'string' ? (JSON.parse(error.body) as typeof body) : ((error.body as typeof body) ?? {});
    } catch {
      body = { message: String(error.body) };
    }
    throw new KubeError(error.code, body.message ?? `HTTP ${error.code}`, body.reason);
  }
  throw error;
}

export function createKube(options: KubeOptions = {}): Kube {
  const config = loadKubeConfig(options.kubeconfigPath);
  const custom = config.makeApiClient(CustomObjectsApi);
  const coordination = config.makeApiClient(CoordinationV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const objects = KubernetesObjectApi.makeApiClient(config);
  const fieldManager = options.fieldManager ?? 'galactic-operator';
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const count = (verb: string, resource: string) => options.requests?.inc({ verb, resource });
  const write = (verb: string, resource: string) => {
    options.writeGuard?.();
    count(verb, resource);
  };
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      return translate(error);
    }
  };
  const ns = (object: KubeObject) => object.metadata.namespace ?? 'default';

  return {
    config,
    list: async (r, o = {}) => {
      count('list', r.plural);
      if (isCore(r)) return call(() => core.listPodForAllNamespaces(o) as never);
      return call(() => custom.listClusterCustomObject({ ...r, ...o }));
    },
    get: async (r, namespace, name) => {
      count('get', r.plural);
      try {
        if (isCore(r)) return (await call(() => core.readNamespacedPod({ namespace, name }))) as never;
        return await call(() => custom.getNamespacedCustomObject({ ...r, namespace, name }));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    create: async (r, body) => {
      write('create', r.plural);
      return call(() => custom.createNamespacedCustomObject({ ...r, namespace: ns(body), body, fieldManager }));
    },
    replace: async (r, body) => {
      write('update', r.plural);
      return call(() => custom.replaceNamespacedCustomObject({ ...r, namespace: ns(body), name: body.metadata.name, body, fieldManager }));
    },
    patch: async (r, namespace, name, body) => {
      write('patch', r.plural);
      return call(() => custom.patchNamespacedCustomObject({ ...r, namespace, name, body, fieldManager }, mergePatch));
    },
    patchStatus: async (r, namespace, name, body) => {
      write('patch', `${r.plural}/status`);
      return call(() => custom.patchNamespacedCustomObjectStatus({ ...r, namespace, name, body, fieldManager }, mergePatch));
    },
    delete: async (r, namespace, name, uid) => {
      write('delete', r.plural);
      try {
        await call(() =>
          custom.deleteNamespacedCustomObject({ ...r, namespace, name, body: uid ? { preconditions: { uid } } : {} }),
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    apply: async (body) => {
      write('apply', body.kind ?? 'object');
      return call(() => objects.patch(body, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply) as Promise<typeof body>);
    },
    leases: {
      get: async (namespace, name) => {
        count('get', 'leases');
        try {
          return await call(() => coordination.readNamespacedLease({ namespace, name }));
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw error;
        }
      },
      // Lease writes are how a candidate becomes leader: not behind the guard.
      create: (namespace, body) => {
        count('create', 'leases');
        return call(() => coordination.createNamespacedLease({ namespace, body, fieldManager }));
      },
      replace: (namespace, body) => {
        count('update', 'leases');
        return call(() => coordination.replaceNamespacedLease({ namespace, name: body.metadata?.name ?? '', body, fieldManager }));
      },
    },
    nodes: {
      list: async () => {
        count('list', 'nodes');
        return (await call(() => core.listNode())).items;
      },
      annotate: async (name, resourceVersion, annotations) => {
        write('patch', 'nodes');
        await call(() => core.patchNode({ name, body: { metadata: { resourceVersion, annotations } }, fieldManager }, mergePatch));
      },
      changes: () => watchTriggers(config, '/api/v1/nodes', () => count('watch', 'nodes')),
    },
  };
}

// --- watching ---------------------------------------------------------------

export interface WatchedCache<T> {
  get(name: string, namespace?: string): T | undefined;
  list(namespace?: string): ReadonlyArray<T>;
}

export interface ResourceWatch<T> {
  cache: WatchedCache<T>;
  /** Resolves once the first list has filled the cache; rejects if stopped before. */
  synced: Promise<void>;
  stop(): Promise<void>;
}

export interface WatchHandlers<T> {
  onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T) => void;
  onError?: (error: unknown, retryInMs: number) => void;
}

/**
 * List + watch of one resource cluster-wide (client-node's informer: resumes
 * from the last resourceVersion, relists after 410 Gone); restarts itself with
 * backoff after errors until stopped.
 */
export function watchResource<T extends KubeObject>(
  kube: Kube,
  resource: Resource,
  handlers: WatchHandlers<T>,
  options: { labelSelector?: string; requests?: Counter<'verb' | 'resource'>; backoff?: (attempt: number) => number } = {},
): ResourceWatch<T> {
  const path = resource.group === '' ? `/api/${resource.version}/${resource.plural}` : `/apis/${resource.group}/${resource.version}/${resource.plural}`;
  const informer = new ListWatch<T>(
    path,
    new Watch(kube.config),
    () => kube.list<T>(resource, options.labelSelector ? { labelSelector: options.labelSelector } : {}) as never,
    false,
    options.labelSelector,
  );
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let markSynced!: () => void;
  let abandon!: (error: Error) => void;
  const synced = new Promise<void>((resolve, reject) => {
    markSynced = resolve;
    abandon = reject;
  });
  synced.catch(() => undefined); // stopped before the first list: whoever awaits it sees the rejection
  informer.on('add', (object) => handlers.onEvent('ADDED', object));
  informer.on('update', (object) => handlers.onEvent('MODIFIED', object));
  informer.on('delete', (object) => handlers.onEvent('DELETED', object));
  informer.on('connect', () => options.requests?.inc({ verb: 'watch', resource: resource.plural }));
  const start = async () => {
    await informer.start();
    if (!stopped && informer.latestResourceVersion()) {
      failures = 0;
      markSynced();
    }
  };
  informer.on('error', (error) => {
    if (stopped) return;
    failures += 1;
    const delay = options.backoff?.(failures) ?? Math.min(30_000, 100 * 2 ** failures);
    handlers.onError?.(error, delay);
    retry = setTimeout(() => void start(), delay);
  });
  void start();
  return {
    cache: informer,
    synced,
    stop: async () => {
      stopped = true;
      abandon(new Error(`watch of ${resource.plural} stopped before it listed`));
      if (retry) clearTimeout(retry);
      await informer.stop();
    },
  };
}
