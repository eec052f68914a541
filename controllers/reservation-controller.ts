// Reservation controller (issue 9): one pass per VPCAddress/VPCEndpoint key,
// level-triggered, leader only.
// - Unbound (created at admission for a pod named by generateName, which had
//   no name or uid yet): the pod carrying its claim label becomes its owner
//   (ownerReference), so garbage collection frees it with the pod. No such pod
//   after the grace (60 s): the pod's creation failed after admission; the
//   reservation is deleted.
// - Owned by a pod that is gone (checked live) for the grace: deleted.
//   Garbage collection normally does this first; this repairs clusters or
//   moments without it.
// - Owned by a StatefulSet: kept while the StatefulSet exists (its recreated
//   pod gets it back at admission); garbage collection frees it with the set.
// - spec.pod and spec.node follow the pod (for `kubectl get vpcaddresses`).
import type { WorkResult } from '../lib/workqueue.js';
import { ADDRESSES, type ControllerContext, ENDPOINTS } from './context.js';
import { PODS, type Resource } from './kube.js';
import { CLAIM_LABEL, POD_LABEL, type Pod, type Reservation, keyOf, parseKey } from './model.js';
import type { Store } from './store.js';

export const RESERVATION_GRACE_MS = 60_000;

const ownerPod = (r: Reservation) => r.metadata.ownerReferences?.find((ref) => ref.kind === 'Pod' && ref.apiVersion === 'v1');
const ownerStatefulSet = (r: Reservation) => r.metadata.ownerReferences?.find((ref) => ref.kind === 'StatefulSet');

/** The pods and reservations carrying a claim, for the pod watch's events. */
export const claimOf = (object: { metadata: { labels?: Record<string, string> } }): string | undefined => object.metadata.labels?.[CLAIM_LABEL];

/** Object keys by (namespace, claim), kept current from watch events: no scans per event or pass. */
export class ClaimIndex {
  private readonly byClaim = new Map<string, Set<string>>();
  private readonly claimOfKey = new Map<string, string>();

  update(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: { metadata: { namespace?: string; name: string; labels?: Record<string, string> } }): void {
    const key = keyOf(object.metadata);
    const previous = this.claimOfKey.get(key);
    if (previous !== undefined) {
      this.byClaim.get(previous)?.delete(key);
      if (this.byClaim.get(previous)?.size === 0) this.byClaim.delete(previous);
      this.claimOfKey.delete(key);
    }
    const claim = claimOf(object);
    if (type === 'DELETED' || claim === undefined) return;
    const indexKey = `${object.metadata.namespace ?? ''}/${claim}`;
    this.byClaim.set(indexKey, (this.byClaim.get(indexKey) ?? new Set()).add(key));
    this.claimOfKey.set(key, indexKey);
  }

  keys(namespace: string, claim: string): string[] {
    return [...(this.byClaim.get(`${namespace}/${claim}`) ?? [])];
  }
}

export async function reconcileReservation(context: ControllerContext, key: string): Promise<WorkResult | void> {
  const found = lookup(context, key);
  if (!found || found.reservation.metadata.deletionTimestamp) {
    context.orphanedSince.delete(key);
    return;
  }
  const { resource, store, reservation } = found;
  const log = context.logger.child({ controller: 'reservation', key, kind: resource.plural });
  const { namespace } = parseKey(key);

  const podRef = ownerPod(reservation);
  if (podRef) {
    const pod = await currentPod(context, namespace, podRef.name);
    if (pod && pod.metadata.uid === podRef.uid) {
      context.orphanedSince.delete(key);
      return followPod(context, resource, store, reservation, pod);
    }
    const since = context.orphanedSince.get(key) ?? context.clock();
    context.orphanedSince.set(key, since);
    const left = context.reservationGraceMs - (context.clock() - since);
    if (left > 0) return { requeueAfterMs: left };
    await remove(context, resource, store, reservation);
    context.orphanedSince.delete(key);
    log.info('freed: its pod is gone (garbage collection had not)', { pod: podRef.name });
    return;
  }
  if (ownerStatefulSet(reservation)) {
    const pod = reservation.spec.pod ? await currentPod(context, namespace, reservation.spec.pod, false) : undefined;
    if (pod && claimOf(pod) === reservation.spec.claim) return followPod(context, resource, store, reservation, pod);
    return;
  }
  // Unbound: find the pod by its claim.
  const claim = reservation.spec.claim ?? '';
  let pod = context.podClaims.keys(namespace, claim).map((podKey) => context.pods.get(podKey)).find((p) => p !== undefined);
  if (!pod) {
    const age = context.clock() - Date.parse(reservation.metadata.creationTimestamp ?? new Date(context.clock()).toISOString());
    if (age < context.reservationGraceMs) return { requeueAfterMs: context.reservationGraceMs - age };
    const live = await context.kube.list<Pod>(PODS, { labelSelector: `${CLAIM_LABEL}=${claim}` });
    pod = live.items.find((p) => p.metadata.namespace === namespace) as typeof pod;
  }
  if (!pod) {
    await remove(context, resource, store, reservation);
    log.info('freed: no pod was created with its claim', { claim });
    return;
  }
  const written = await write(context, resource, store, reservation, {
    metadata: {
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid ?? '' }],
      labels: { [POD_LABEL]: pod.metadata.name },
    },
    spec: { pod: pod.metadata.name, ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}) },
  });
  log.debug('bound to its pod', { pod: pod.metadata.name, resourceVersion: written.metadata.resourceVersion });
}

function lookup(context: ControllerContext, key: string): { resource: Resource; store: Store<Reservation>; reservation: Reservation } | undefined {
  const address = context.addresses.get(key);
  if (address) return { resource: ADDRESSES, store: context.addresses, reservation: address };
  const endpoint = context.endpoints.get(key);
  return endpoint ? { resource: ENDPOINTS, store: context.endpoints, reservation: endpoint } : undefined;
}

/** The pod from the watch cache, or (when the cache lacks it and `live`) from the API server. */
async function currentPod(context: ControllerContext, namespace: string, name: string, live = true): Promise<Pod | undefined> {
  const cached = context.pods.get(keyOf({ namespace, name }));
  if (cached || !live) return cached;
  return context.kube.get<Pod>(PODS, namespace, name);
}

async function followPod(context: ControllerContext, resource: Resource, store: Store<Reservation>, reservation: Reservation, pod: Pod): Promise<void> {
  const node = pod.spec?.nodeName;
  if (!node || reservation.spec.node === node) return;
  await write(context, resource, store, reservation, { spec: { node } });
}

async function write(context: ControllerContext, resource: Resource, store: Store<Reservation>, reservation: Reservation, patch: { metadata?: object; spec?: object }): Promise<Reservation> {
  const { namespace = '', name, resourceVersion } = reservation.metadata;
  const written = await context.kube.patch<Reservation>(resource, namespace, name, { ...patch, metadata: { ...patch.metadata, resourceVersion } });
  store.wrote(written, resourceVersion);
  return written;
}

async function remove(context: ControllerContext, resource: Resource, store: Store<Reservation>, reservation: Reservation): Promise<void> {
  const { namespace = '', name, uid, resourceVersion } = reservation.metadata;
  await context.kube.delete(resource, namespace, name, uid);
  store.deleted(keyOf(reservation.metadata), resourceVersion);
}
