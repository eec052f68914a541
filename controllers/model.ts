// The operator's resources as TypeScript types, and the names everything
// agrees on (SPEC §2–§3). Pure data: no Kubernetes client here.

export const GROUP = 'galactic.datumapis.com';
export const VERSION = 'v1alpha';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const VPC_PLURAL = 'vpcs';
export const ATTACHMENT_PLURAL = 'vpcattachments';
export const ADDRESS_PLURAL = 'vpcaddresses';
export const ENDPOINT_PLURAL = 'vpcendpoints';

export const NAD_GROUP = 'k8s.cni.cncf.io';
export const NAD_VERSION = 'v1';
export const NAD_PLURAL = 'network-attachment-definitions';

/** Pod annotation naming the VPCAttachment (same namespace). */
export const ATTACHMENT_ANNOTATION = 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment';
/** Multus' pod annotation listing the networks to attach. */
export const MULTUS_NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
/** Keeps a VPC until no VPCAttachment references it. */
export const VPC_FINALIZER = 'galactic.datumapis.com/attachments';
/** Label on the NADs the operator writes (its NAD watch selects on it). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'galactic-operator';
/** Labels of VPCAddress/VPCEndpoint objects (and the claim label of pods). */
export const VPC_LABEL = 'galactic.datumapis.com/vpc';
export const ATTACHMENT_LABEL = 'galactic.datumapis.com/attachment';
export const POD_LABEL = 'galactic.datumapis.com/pod';
/** Random token linking a pod admitted with a pool attachment to its reservations. */
export const CLAIM_LABEL = 'galactic.datumapis.com/claim';
export const DEFAULT_INTERFACE = 'galactic0';
export const DEFAULT_MTU = 1372;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  deletionTimestamp?: string;
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface ResourceStatus {
  identifier?: string;
  ready?: boolean;
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface Vpc {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { networks: string[] };
  status?: ResourceStatus;
}

export interface Route {
  destination: string;
  via: string;
}

export interface VpcAttachment {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    vpc: { apiVersion?: string; kind?: string; name: string; namespace?: string };
    /** Exactly one of addresses (one pod) and ipam.pools (a template for any number of pods). */
    interface: { name?: string; addresses?: string[]; ipam?: { pools: string[] } };
    routes?: Route[];
  };
  status?: ResourceStatus & { pools?: PoolUsage[] };
}

export interface PoolUsage {
  pool: string;
  allocated: number;
  free: number;
}

/**
 * A VPCAddress or VPCEndpoint: one value (address or endpoint identifier) a
 * pod holds in a VPC, named from the VPC identifier and the value so that the
 * API server refuses a second holder.
 */
export interface Reservation {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    vpc: { name: string; namespace?: string; identifier: string };
    attachment: string;
    /** 4 hex digits. */
    endpoint: string;
    /** VPCAddress only: address/prefix-length. */
    address?: string;
    pool?: string;
    pod?: string;
    node?: string;
    claim?: string;
  };
}

export interface NetworkAttachmentDefinition {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: { config: string };
}

/** The parts of a pod the reservation controller reads. */
export interface Pod {
  metadata: ObjectMeta;
  spec?: { nodeName?: string };
}

/** `namespace/name`, the work-queue key and the form used in logs and messages. */
export const keyOf = (meta: { namespace?: string; name: string }): string => `${meta.namespace ?? ''}/${meta.name}`;

export function parseKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The key of the VPC an attachment joins (namespace defaults to the attachment's). */
export const vpcKeyOf = (attachment: VpcAttachment): string =>
  keyOf({ namespace: attachment.spec.vpc.namespace || attachment.metadata.namespace, name: attachment.spec.vpc.name });

/** The fixed addresses of a one-pod attachment (none for a pool attachment). */
export const addressesOf = (attachment: VpcAttachment): string[] => attachment.spec.interface.addresses ?? [];

/** The pools of a template attachment (none for a one-pod attachment). */
export const poolsOf = (attachment: VpcAttachment): string[] => attachment.spec.interface.ipam?.pools ?? [];

export const interfaceNameOf = (attachment: VpcAttachment): string => attachment.spec.interface.name || DEFAULT_INTERFACE;

export const readyCondition = (status: ResourceStatus | undefined): Condition | undefined =>
  status?.conditions?.find((condition) => condition.type === 'Ready');
