// Status and conditions of VPCs and VPCAttachments as pure functions of what
// the controllers observed, so every reason and message is unit-tested.
import { cidrContains, formatCidr, parseCidr } from '../lib/ip.js';
import {
  type Condition,
  type PoolUsage,
  type Reservation,
  type ResourceStatus,
  type Vpc,
  type VpcAttachment,
  addressesOf,
  keyOf,
  poolsOf,
  readyCondition,
  vpcKeyOf,
} from './model.js';
import { heldIn, poolSize } from './pools.js';

export type Reason =
  // VPC
  | 'IdentifierAssigned'
  | 'IdentifierPending'
  | 'AttachmentsRemain'
  // VPCAttachment
  | 'Provisioning'
  | 'Provisioned'
  | 'VPCNotFound'
  | 'VPCNotReady'
  | 'VPCDeleting'
  | 'AddressOutsideVPC'
  | 'PoolOutsideVPC'
  | 'IdentifiersExhausted'
  | 'IdentifierChanged'
  | 'NetworkAttachmentDefinitionConflict';

export interface Outcome {
  ready: boolean;
  reason: Reason;
  message: string;
}

/**
 * Sets `next` in the list of conditions, keeping lastTransitionTime when the
 * status did not change (Kubernetes API conventions).
 */
export function withCondition(conditions: Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const previous = conditions?.find((condition) => condition.type === next.type);
  const lastTransitionTime = previous && previous.status === next.status ? previous.lastTransitionTime : now;
  const updated: Condition = { ...next, lastTransitionTime };
  return [...(conditions ?? []).filter((condition) => condition.type !== next.type), updated].sort((a, b) => a.type.localeCompare(b.type));
}

export const withoutCondition = (conditions: Condition[] | undefined, type: string): Condition[] =>
  (conditions ?? []).filter((condition) => condition.type !== type);

function readyStatus(
  current: ResourceStatus | undefined,
  generation: number | undefined,
  identifier: string | undefined,
  outcome: Outcome,
  now: string,
  conditions = current?.conditions,
): ResourceStatus {
  return {
    ...(identifier !== undefined ? { identifier } : {}),
    ready: outcome.ready,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    conditions: withCondition(
      conditions,
      {
        type: 'Ready',
        status: outcome.ready ? 'True' : 'False',
        reason: outcome.reason,
        message: outcome.message,
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
      },
      now,
    ),
  };
}

/**
 * A VPC is ready once it has an identifier. While it is being deleted and
 * attachments still reference it, a `Terminating` condition names them.
 */
export function vpcStatus(vpc: Vpc, identifier: string | undefined, remaining: string[] | undefined, now: string): ResourceStatus {
  const outcome: Outcome = identifier
    ? { ready: true, reason: 'IdentifierAssigned', message: `identifier ${identifier}` }
    : { ready: false, reason: 'IdentifierPending', message: 'waiting for the operator to assign an identifier' };
  let conditions = withoutCondition(vpc.status?.conditions, 'Terminating');
  if (remaining && remaining.length > 0) {
    const shown = remaining.slice(0, 10).join(', ') + (remaining.length > 10 ? `, and ${remaining.length - 10} more` : '');
    conditions = withCondition(
      conditions,
      {
        type: 'Terminating',
        status: 'True',
        reason: 'AttachmentsRemain',
        message: `deletion waits until no VPCAttachment references this VPC; ${remaining.length} remain: ${shown}`,
        ...(vpc.metadata.generation !== undefined ? { observedGeneration: vpc.metadata.generation } : {}),
      },
      now,
    );
  }
  return readyStatus(vpc.status, vpc.metadata.generation, identifier, outcome, now, conditions);
}

/**
 * Why an attachment cannot be provisioned yet, or undefined when it can.
 * A VPC being deleted keeps its existing attachments working; only
 * attachments without an identifier wait.
 */
export function attachmentBlocker(attachment: VpcAttachment, vpc: Vpc | undefined): Outcome | undefined {
  const vpcKey = vpcKeyOf(attachment);
  if (!vpc) return { ready: false, reason: 'VPCNotFound', message: `VPC ${vpcKey} not found` };
  if (!vpc.status?.identifier) {
    return { ready: false, reason: 'VPCNotReady', message: `waiting for VPC ${vpcKey} to be assigned an identifier` };
  }
  if (vpc.metadata.deletionTimestamp && !attachment.status?.identifier) {
    return { ready: false, reason: 'VPCDeleting', message: `VPC ${vpcKey} is being deleted; no new attachments are provisioned in it` };
  }
  const networks = vpc.spec.networks.map((network) => parseCidr(network));
  const outsideVpc = (cidrs: string[]) => cidrs.filter((text) => !networks.some((network) => cidrContains(network, parseCidr(text))));
  const where = `outside every network of VPC ${vpcKey} (${vpc.spec.networks.join(', ')})`;
  const outside = outsideVpc(addressesOf(attachment));
  if (outside.length > 0) {
    return { ready: false, reason: 'AddressOutsideVPC', message: `${outside.length === 1 ? 'address' : 'addresses'} ${outside.join(', ')} ${where}` };
  }
  const poolsOutside = outsideVpc(poolsOf(attachment));
  if (poolsOutside.length > 0) {
    return { ready: false, reason: 'PoolOutsideVPC', message: `${poolsOutside.length === 1 ? 'pool' : 'pools'} ${poolsOutside.join(', ')} ${where}` };
  }
  return undefined;
}

export const provisioned = (attachment: VpcAttachment, identifier: string): Outcome => ({
  ready: true,
  reason: 'Provisioned',
  message: `identifier ${identifier}; NetworkAttachmentDefinition ${keyOf(attachment.metadata)} is up to date`,
});

export function attachmentStatus(
  attachment: VpcAttachment,
  identifier: string | undefined,
  outcome: Outcome,
  now: string,
  pools?: PoolUsage[],
): ResourceStatus & { pools?: PoolUsage[] } {
  // Without fresh counts (a blocked pass) the last ones stay: a merge patch would not remove them anyway.
  const usage = pools ?? attachment.status?.pools;
  return { ...readyStatus(attachment.status, attachment.metadata.generation, identifier, outcome, now), ...(usage ? { pools: usage } : {}) };
}

/**
 * Per pool of a template attachment: addresses its pods hold, and addresses
 * still free (whoever in the VPC holds the others: pods of other attachments,
 * fixed attachment addresses). Counts beyond 2^53 are shown as 2^53 - 1.
 */
export function poolUsage(attachment: VpcAttachment, vpcHex: string, addresses: ReadonlyArray<Reservation>, fixed: string[]): PoolUsage[] {
  const held = new Map<number, Set<bigint>>([[4, new Set()], [6, new Set()]]);
  const mine = new Map<string, number>();
  for (const r of addresses) {
    if (r.spec.vpc.identifier !== vpcHex || !r.spec.address) continue;
    const cidr = parseCidr(r.spec.address);
    held.get(cidr.family)!.add(cidr.address);
    if (r.metadata.namespace === attachment.metadata.namespace && r.spec.attachment === attachment.metadata.name && r.spec.pool) {
      mine.set(r.spec.pool, (mine.get(r.spec.pool) ?? 0) + 1);
    }
  }
  for (const text of fixed) {
    const cidr = parseCidr(text);
    held.get(cidr.family)!.add(cidr.address);
  }
  const clamp = (value: bigint) => Number(value > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : value);
  return poolsOf(attachment).map((text) => {
    const pool = parseCidr(text);
    const free = poolSize(pool) - BigInt(heldIn(pool, held.get(pool.family)!));
    return { pool: formatCidr(pool), allocated: mine.get(formatCidr(pool)) ?? 0, free: clamp(free) };
  });
}

/** Whether writing `next` would change anything (so unchanged objects cost no request). */
export function statusEquals(current: ResourceStatus | undefined, next: ResourceStatus): boolean {
  return JSON.stringify(normalize(current ?? {})) === JSON.stringify(normalize(next));
}

function normalize(status: ResourceStatus & { pools?: PoolUsage[] }): ResourceStatus & { pools?: PoolUsage[] } {
  return {
    pools: status.pools?.map(({ pool, allocated, free }) => ({ pool, allocated, free })),
    identifier: status.identifier,
    ready: status.ready ?? false,
    observedGeneration: status.observedGeneration,
    conditions: [...(status.conditions ?? [])]
      .sort((a, b) => a.type.localeCompare(b.type))
      .map(({ type, status: s, reason, message, lastTransitionTime, observedGeneration }) => ({
        type,
        status: s,
        reason,
        message,
        lastTransitionTime,
        observedGeneration,
      })),
  };
}

export const isReady = (status: ResourceStatus | undefined): boolean =>
  status?.ready === true && readyCondition(status)?.status === 'True';
