// What both controllers share: the API adapter, the watch-backed stores, the
// allocation locks and the operator's settings.
import type { Logger } from '../lib/log.js';
import type { Kube, KubeObject, Resource } from './kube.js';
import {
  ADDRESS_PLURAL,
  ATTACHMENT_PLURAL,
  ENDPOINT_PLURAL,
  GROUP,
  NAD_GROUP,
  NAD_PLURAL,
  NAD_VERSION,
  type NetworkAttachmentDefinition,
  type Pod,
  type Reservation,
  type ResourceStatus,
  VERSION,
  VPC_PLURAL,
  type Vpc,
  type VpcAttachment,
  keyOf,
  vpcKeyOf,
} from './model.js';
import { statusEquals } from './status.js';
import type { ClaimIndex } from './reservation-controller.js';
import type { Store } from './store.js';

export const VPCS: Resource = { group: GROUP, version: VERSION, plural: VPC_PLURAL };
export const ATTACHMENTS: Resource = { group: GROUP, version: VERSION, plural: ATTACHMENT_PLURAL };
export const ADDRESSES: Resource = { group: GROUP, version: VERSION, plural: ADDRESS_PLURAL };
export const ENDPOINTS: Resource = { group: GROUP, version: VERSION, plural: ENDPOINT_PLURAL };
export const NADS: Resource = { group: NAD_GROUP, version: NAD_VERSION, plural: NAD_PLURAL };

/** Runs one task at a time per key (in this process). */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await task(items[index]!) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface ControllerContext {
  kube: Kube;
  vpcs: Store<Vpc>;
  attachments: Store<VpcAttachment>;
  nads: Store<NetworkAttachmentDefinition>;
  /** VPCAddress and VPCEndpoint objects, and the pods carrying a claim label. */
  addresses: Store<Reservation>;
  endpoints: Store<Reservation>;
  pods: Store<Pod>;
  /** Pod keys by claim (from the pod watch). */
  podClaims: ClaimIndex;
  /** When each pod-owned reservation was first seen without its pod (this process). */
  orphanedSince: Map<string, number>;
  clock: () => number;
  /** How long a reservation without its pod is kept (admission still running, or garbage collection about to act). */
  reservationGraceMs: number;
  /** Serialises identifier allocation rounds (one key for VPCs, one for attachments). */
  locks: KeyedLock;
  mtu: number;
  logger: Logger;
  now: () => string;
  /** Whether the API server selects VPCAttachments by spec.vpc.name (cleared on its first refusal). */
  selectByVpc: boolean;
}

type Stored = { metadata: { namespace?: string; name: string; resourceVersion?: string }; status?: ResourceStatus };

/**
 * Writes `status` unless it equals the current one, with the object's
 * resourceVersion as precondition; records the result in the store.
 */
export async function writeStatus<T extends Stored>(
  context: ControllerContext,
  resource: Resource,
  store: Store<T>,
  object: T,
  status: ResourceStatus,
): Promise<T> {
  if (statusEquals(object.status, status)) return object;
  const { resourceVersion, namespace = '', name } = object.metadata;
  const written = await context.kube.patchStatus<T>(resource, namespace, name, { metadata: { resourceVersion }, status });
  store.wrote(written as T & KubeObject, resourceVersion);
  return written;
}

/** Sets metadata.finalizers, with the object's resourceVersion as precondition. */
export async function writeFinalizers<T extends Stored>(
  context: ControllerContext,
  resource: Resource,
  store: Store<T>,
  object: T,
  finalizers: string[],
): Promise<T> {
  const { resourceVersion, namespace = '', name } = object.metadata;
  const written = await context.kube.patch<T>(resource, namespace, name, { metadata: { finalizers, resourceVersion } });
  store.wrote(written as T & KubeObject, resourceVersion);
  return written;
}

/** Attachments (from the store) that reference a VPC key. */
export const attachmentsOf = (context: ControllerContext, vpcKey: string): VpcAttachment[] =>
  context.attachments.list().filter((attachment) => vpcKeyOf(attachment) === vpcKey);

export const describe = (objects: Array<{ metadata: { namespace?: string; name: string } }>): string[] =>
  objects.map((object) => keyOf(object.metadata)).sort();
