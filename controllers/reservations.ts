// Per-pod address and endpoint identifier allocation at pod admission (issue
// 9). The API server is the arbiter: each held value is an object (VPCAddress,
// VPCEndpoint) whose name is derived from the VPC and the value, so a second
// create of the same value fails with 409 and the allocator picks another.
// The watch caches only make a first pick that is probably free.
import { randomBytes } from 'node:crypto';
import { formatHexIdentifier, parseHexIdentifier, randomIdentifier, ATTACHMENT_ID_BITS } from '../lib/identifiers.js';
import { type Cidr, type Family, formatCidr, parseCidr } from '../lib/ip.js';
import { ADDRESSES, ATTACHMENTS, ENDPOINTS, VPCS } from './context.js';
import { type Kube, KubeError, type KubeObject, type Resource, watchResource } from './kube.js';
import {
  API_VERSION,
  ATTACHMENT_LABEL,
  CLAIM_LABEL,
  type OwnerReference,
  POD_LABEL,
  type Reservation,
  VPC_LABEL,
  type Vpc,
  type VpcAttachment,
  addressesOf,
  keyOf,
  parseKey,
  poolsOf,
  vpcKeyOf,
} from './model.js';
import { addressInPool, addressReservationName, endpointReservationName, heldIn, pickAddress, poolSize, poolsByFamily } from './pools.js';

/** What the allocator reads: watch caches of the VPCs, attachments and reservations. */
export interface ReservationView {
  vpc(key: string): Vpc | undefined;
  attachment(key: string): VpcAttachment | undefined;
  attachments(): ReadonlyArray<VpcAttachment>;
  addresses(): ReadonlyArray<Reservation>;
  endpoints(): ReadonlyArray<Reservation>;
}

export interface PodRef {
  namespace: string;
  /** Empty at admission for pods named by generateName. */
  name: string;
  ownerReferences?: OwnerReference[];
}

export interface Allocation {
  /** 4 hex digits. */
  endpoint: string;
  /** address/prefix-length, one per family of the pools. */
  addresses: string[];
  claim: string;
}

/** The pod cannot get addresses (exhausted pool, no identifier left): the message is shown to the user. */
export class AllocationRefused extends Error {
  override name = 'AllocationRefused';
}

const CREATE_TRIES = 16;
/** How long a value this process just reserved counts as taken while the watch catches up. */
const PENDING_MS = 30_000;

const reservationsOfVpc = (items: ReadonlyArray<Reservation>, vpcHex: string) => items.filter((r) => r.spec.vpc.identifier === vpcHex);

/** The StatefulSet owning a pod, if any: its pods get their reservations back when recreated. */
export const statefulSetOf = (pod: PodRef): OwnerReference | undefined =>
  pod.ownerReferences?.find((ref) => ref.kind === 'StatefulSet' && ref.apiVersion === 'apps/v1' && ref.controller);

export class ReservationAllocator {
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly kube: Kube,
    private readonly view: ReservationView,
    private readonly random: (bytes: number) => Buffer = randomBytes,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Reserves an endpoint identifier and one address per family of the
   * attachment's pools for a pod being admitted. A StatefulSet's pod gets back
   * what an earlier pod of the same name held. On failure, whatever this call
   * created is deleted again.
   */
  async allocate(pod: PodRef, attachment: VpcAttachment): Promise<Allocation> {
    const vpc = this.view.vpc(vpcKeyOf(attachment));
    const vpcHex = vpc?.status?.identifier;
    if (!vpc || !vpcHex) throw new AllocationRefused(`VPC ${vpcKeyOf(attachment)} has no identifier yet`);
    const claim = this.random(8).toString('hex');
    const owner = statefulSetOf(pod);
    const previous = owner ? this.heldByStatefulSetPod(pod, owner, attachment, vpcHex) : [];
    const created: Array<{ resource: Resource; name: string }> = [];
    const base = { vpc, vpcHex, attachment, pod, claim, owner };
    try {
      // One round of writes: the addresses are reserved with the endpoint
      // identifier this call expects to get, concurrently with the endpoint
      // itself; in the rare case that the endpoint was taken meanwhile and
      // another one reserved, the addresses are reserved again for it.
      const previousEndpoint = previous.find((r) => r.kind === 'VPCEndpoint');
      const expected = previousEndpoint?.spec.endpoint ?? this.freeEndpoint(base);
      const reserveAddresses = async (endpoint: string) => {
        const results = await Promise.allSettled(
          [...poolsByFamily(poolsOf(attachment))].map(async ([family, pools]) => {
            const kept = previous.find((r) => r.kind === 'VPCAddress' && r.spec.address && parseCidr(r.spec.address).family === family);
            if (kept) return (await this.reclaim(ADDRESSES, kept, claim)).spec.address!;
            return this.createAddress(base, endpoint, family, pools, created);
          }),
        );
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) throw failure.reason;
        return results.map((result) => (result as PromiseFulfilledResult<string>).value);
      };
      const [endpointResult, addressesResult] = await Promise.allSettled([
        previousEndpoint ? this.reclaim(ENDPOINTS, previousEndpoint, claim).then((r) => r.spec.endpoint) : this.createEndpoint(base, created, expected),
        reserveAddresses(expected),
      ]);
      if (endpointResult.status === 'rejected') throw endpointResult.reason;
      if (addressesResult.status === 'rejected') throw addressesResult.reason;
      const endpoint = endpointResult.value;
      if (endpoint === expected) return { endpoint, addresses: addressesResult.value, claim };
      const stale = created.filter(({ resource }) => resource === ADDRESSES);
      await Promise.all(stale.map(({ resource, name }) => this.kube.delete(resource, pod.namespace, name)));
      created.splice(0, created.length, ...created.filter((entry) => !stale.includes(entry)));
      return { endpoint, addresses: await reserveAddresses(endpoint), claim };
    } catch (error) {
      await Promise.allSettled(created.map(({ resource, name }) => this.kube.delete(resource, pod.namespace, name)));
      throw error;
    }
  }

  /** Reservations of an earlier pod of this StatefulSet with the same name (its ordinal). */
  private heldByStatefulSetPod(pod: PodRef, owner: OwnerReference, attachment: VpcAttachment, vpcHex: string): Reservation[] {
    const mine = (r: Reservation) =>
      r.metadata.namespace === pod.namespace &&
      r.metadata.labels?.[POD_LABEL] === pod.name &&
      r.spec.attachment === attachment.metadata.name &&
      r.spec.vpc.identifier === vpcHex &&
      !r.metadata.deletionTimestamp &&
      (r.metadata.ownerReferences ?? []).some((ref) => ref.uid === owner.uid);
    return [
      ...this.view.endpoints().filter(mine).map((r) => ({ ...r, kind: 'VPCEndpoint' })),
      ...this.view.addresses().filter(mine).map((r) => ({ ...r, kind: 'VPCAddress' })),
    ];
  }

  /** Hands a kept reservation to the new pod (its claim), with the resourceVersion as precondition. */
  private async reclaim(resource: Resource, reservation: Reservation, claim: string): Promise<Reservation> {
    const { namespace = '', name, resourceVersion } = reservation.metadata;
    return this.kube.patch<Reservation>(resource, namespace, name, {
      metadata: { resourceVersion, labels: { [CLAIM_LABEL]: claim } },
      spec: { claim, node: null },
    });
  }

  /** Endpoint identifiers held in the VPC: attachments', reservations', this process' pending ones. */
  private takenEndpoints(base: Base): Set<bigint> {
    const vpcKey = vpcKeyOf(base.attachment);
    const taken = new Set<bigint>();
    for (const attachment of this.view.attachments()) {
      if (vpcKeyOf(attachment) === vpcKey && attachment.status?.identifier) taken.add(parseHexIdentifier(attachment.status.identifier, ATTACHMENT_ID_BITS));
    }
    for (const r of reservationsOfVpc(this.view.endpoints(), base.vpcHex)) taken.add(parseHexIdentifier(r.spec.endpoint, ATTACHMENT_ID_BITS));
    for (const name of this.pendingNames()) if (name.startsWith(`${base.vpcHex}-`) && name.length === base.vpcHex.length + 5) taken.add(BigInt(`0x${name.slice(-4)}`));
    return taken;
  }

  /** A random endpoint identifier not taken as far as this process knows ('' when none is left). */
  private freeEndpoint(base: Base, taken = this.takenEndpoints(base)): string {
    if (taken.size >= 0xfffe) return '';
    let value = randomIdentifier(ATTACHMENT_ID_BITS, this.random);
    while (taken.has(value)) value = randomIdentifier(ATTACHMENT_ID_BITS, this.random);
    return formatHexIdentifier(value, ATTACHMENT_ID_BITS);
  }

  /** Reserves `first`, or another free endpoint identifier if it is taken. */
  private async createEndpoint(base: Base, created: Created, first: string): Promise<string> {
    const taken = this.takenEndpoints(base);
    let endpoint = first;
    for (let attempt = 0; attempt < CREATE_TRIES && endpoint !== ''; attempt++) {
      if (await this.tryCreate(ENDPOINTS, endpointReservationName(base.vpcHex, endpoint), base, { endpoint }, created)) return endpoint;
      taken.add(BigInt(`0x${endpoint}`));
      endpoint = this.freeEndpoint(base, taken);
    }
    throw new AllocationRefused(`VPC ${vpcKeyOf(base.attachment)} has no free endpoint identifier (${taken.size} of 65534 held by attachments and pods)`);
  }

  private async createAddress(base: Base, endpoint: string, family: Family, pools: Cidr[], created: Created): Promise<string> {
    const taken = this.heldAddresses(base, family);
    for (let attempt = 0; attempt < CREATE_TRIES; attempt++) {
      let picked: { pool: Cidr; value: bigint } | undefined;
      for (const pool of pools) {
        const value = pickAddress(pool, taken, this.random);
        if (value !== undefined) {
          picked = { pool, value };
          break;
        }
      }
      if (!picked) break;
      const address = addressInPool(picked.pool, picked.value);
      const name = addressReservationName(base.vpcHex, family, picked.value);
      const spec = { endpoint, address, pool: formatCidr(picked.pool) };
      if (await this.tryCreate(ADDRESSES, name, base, spec, created)) return address;
      taken.add(picked.value);
    }
    const held = pools.reduce((sum, pool) => sum + heldIn(pool, taken), 0);
    const size = pools.reduce((sum, pool) => sum + poolSize(pool), 0n);
    const which = pools.map(formatCidr).join(', ');
    throw new AllocationRefused(
      `${pools.length === 1 ? 'pool' : 'pools'} ${which} of VPCAttachment ${keyOf(base.attachment.metadata)} ${pools.length === 1 ? 'is' : 'are'} exhausted: ${held} of ${size} addresses held; add a pool to spec.interface.ipam.pools or delete pods`,
    );
  }

  /** Address values of a family held in the VPC: reservations, fixed attachment addresses, this process' pending creates. */
  private heldAddresses(base: Base, family: Family): Set<bigint> {
    const taken = new Set<bigint>();
    const add = (text: string) => {
      const cidr = parseCidr(text);
      if (cidr.family === family) taken.add(cidr.address);
    };
    for (const r of reservationsOfVpc(this.view.addresses(), base.vpcHex)) if (r.spec.address) add(r.spec.address);
    const vpcKey = vpcKeyOf(base.attachment);
    for (const attachment of this.view.attachments()) if (vpcKeyOf(attachment) === vpcKey) addressesOf(attachment).forEach(add);
    const prefix = `${base.vpcHex}-${family}-`;
    for (const name of this.pendingNames()) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      taken.add(family === 4 ? parseCidr(`${rest.replaceAll('-', '.')}/32`).address : BigInt(`0x${rest}`));
    }
    return taken;
  }

  /** Creates the reservation; false when the name is already held (409). */
  private async tryCreate(resource: Resource, name: string, base: Base, spec: Partial<Reservation['spec']>, created: Created): Promise<boolean> {
    const { pod, vpc, vpcHex, attachment, claim, owner } = base;
    const object: Reservation = {
      apiVersion: API_VERSION,
      kind: resource === ENDPOINTS ? 'VPCEndpoint' : 'VPCAddress',
      metadata: {
        name,
        namespace: pod.namespace,
        labels: {
          [VPC_LABEL]: vpcHex,
          [ATTACHMENT_LABEL]: attachment.metadata.name,
          [CLAIM_LABEL]: claim,
          ...(pod.name ? { [POD_LABEL]: pod.name } : {}),
        },
        ...(owner ? { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid }] } : {}),
      },
      spec: {
        vpc: { name: vpc.metadata.name, namespace: vpc.metadata.namespace ?? pod.namespace, identifier: vpcHex },
        attachment: attachment.metadata.name,
        endpoint: '',
        ...spec,
        ...(pod.name ? { pod: pod.name } : {}),
        claim,
      },
    };
    this.pending.set(name, this.now());
    try {
      await this.kube.create(resource, object);
    } catch (error) {
      if (error instanceof KubeError && error.code === 409) return false;
      this.pending.delete(name);
      throw error;
    }
    created.push({ resource, name });
    return true;
  }

  private pendingNames(): string[] {
    const cutoff = this.now() - PENDING_MS;
    for (const [name, at] of this.pending) if (at < cutoff) this.pending.delete(name);
    return [...this.pending.keys()];
  }
}

type Base = { vpc: Vpc; vpcHex: string; attachment: VpcAttachment; pod: PodRef; claim: string; owner: OwnerReference | undefined };
type Created = Array<{ resource: Resource; name: string }>;

export interface WatchedReservationView {
  view: ReservationView;
  /** Resolves once every watch has listed. */
  synced: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The allocator's view in every operator replica (the webhook runs in each,
 * the controllers only in the leader): watches of VPCs, attachments and both
 * reservation kinds.
 */
export function watchReservationView(kube: Kube, onError: (resource: string, error: unknown) => void): WatchedReservationView {
  const start = <T extends KubeObject>(resource: Resource) =>
    watchResource<T>(kube, resource, { onEvent: () => undefined, onError: (error) => onError(resource.plural, error) });
  const vpcs = start<Vpc>(VPCS);
  const attachments = start<VpcAttachment>(ATTACHMENTS);
  const addresses = start<Reservation>(ADDRESSES);
  const endpoints = start<Reservation>(ENDPOINTS);
  const all = [vpcs, attachments, addresses, endpoints];
  return {
    view: {
      vpc: (key) => {
        const { namespace, name } = parseKey(key);
        return vpcs.cache.get(name, namespace);
      },
      attachment: (key) => {
        const { namespace, name } = parseKey(key);
        return attachments.cache.get(name, namespace);
      },
      attachments: () => attachments.cache.list(),
      addresses: () => addresses.cache.list(),
      endpoints: () => endpoints.cache.list(),
    },
    synced: Promise.all(all.map((watch) => watch.synced)).then(() => undefined),
    stop: async () => {
      await Promise.all(all.map((watch) => watch.stop()));
    },
  };
}
