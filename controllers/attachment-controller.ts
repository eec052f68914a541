// VPCAttachment controller: one pass for one attachment key, level-triggered.
// 1. Gone: its NetworkAttachmentDefinition (ours, by ownerReference) is deleted.
//    The operator does this itself instead of relying on the garbage collector,
//    so it also works without kube-controller-manager and costs no finalizer
//    (a finalizer on every attachment would block namespace deletion whenever
//    the operator is not running).
// 2. Blocked (VPC missing, not ready, being deleted, address outside the VPC):
//    status says why; the pass is retried later (and on every VPC event).
// 3. No identifier yet: allocate one unique within the VPC and record it in status.
//    Identifiers never change (the API server refuses it, see crds/): should
//    the VPC's or the attachment's differ from what its NAD was written with,
//    or the attachment's have vanished, the NAD stays as it is and status
//    says so (pods keep the SIDs and VRFs they have).
// 4. NAD created or updated to exactly the SPEC §3 config.
// 5. status.ready and the Ready condition.
import type { WorkResult } from '../lib/workqueue.js';
import { IdentifiersExhaustedError, allocateIdentifier } from './allocate.js';
import { ATTACHMENTS, type ControllerContext, NADS, attachmentsOf, mapLimit, writeStatus as writeStatusOf } from './context.js';
import { isConflict } from './kube.js';
import {
  MANAGED_BY,
  MANAGED_BY_LABEL,
  type NetworkAttachmentDefinition,
  type PoolUsage,
  type Vpc,
  type VpcAttachment,
  addressesOf,
  keyOf,
  parseKey,
  poolsOf,
  vpcKeyOf,
} from './model.js';
import { controllerOf, desiredNad, identifierChange, nadMatches } from './nad.js';
import { type Outcome, attachmentBlocker, attachmentStatus, poolUsage, provisioned } from './status.js';
import { liveAttachmentsOf } from './vpc-controller.js';

/** How often a blocked attachment looks again even without events. */
export const BLOCKED_RECHECK_MS = 10_000;

type Log = ControllerContext['logger'];

export async function reconcileAttachment(context: ControllerContext, key: string): Promise<WorkResult | void> {
  const log = context.logger.child({ controller: 'vpcattachment', key });
  let attachment = context.attachments.get(key);
  if (!attachment) return removeOrphanNad(context, key, log);
  if (attachment.metadata.deletionTimestamp) return;

  const vpc = context.vpcs.get(vpcKeyOf(attachment));
  const blocker = attachmentBlocker(attachment, vpc);
  if (blocker) {
    attachment = await writeStatus(context, attachment, attachment.status?.identifier, blocker);
    log.debug('waiting', { reason: blocker.reason, message: blocker.message });
    return blocker.reason === 'AddressOutsideVPC' || blocker.reason === 'PoolOutsideVPC' ? undefined : { requeueAfterMs: BLOCKED_RECHECK_MS };
  }
  const vpcId = (vpc as Vpc).status!.identifier!;

  const changed = identifierChange(context.nads.get(key), attachment, vpcId);
  if (changed) {
    await writeStatus(context, attachment, attachment.status?.identifier, changed);
    log.error('identifier changed after the NetworkAttachmentDefinition was written; it is left as it is', { message: changed.message });
    return;
  }

  let identifier = attachment.status?.identifier;
  if (!identifier) {
    const assigned = await assignIdentifier(context, attachment, log);
    if (!assigned) return { requeueAfterMs: BLOCKED_RECHECK_MS };
    ({ attachment, identifier } = assigned);
  }

  const desired = desiredNad(attachment, { vpc: vpcId, attachment: identifier }, context.mtu);
  const nad = await ensureNad(context, desired, log);
  const outcome: Outcome = nad
    ? provisioned(attachment, identifier)
    : {
        ready: false,
        reason: 'NetworkAttachmentDefinitionConflict',
        message: `NetworkAttachmentDefinition ${key} exists and is not controlled by this VPCAttachment; delete it or rename the attachment`,
      };
  const pools = poolsOf(attachment).length > 0 ? poolUsage(attachment, vpcId, context.addresses.list(), fixedAddressesOf(context, attachment)) : undefined;
  await writeStatus(context, attachment, identifier, outcome, pools);
  if (!attachment.status?.ready && outcome.ready) log.info('ready', { identifier, vpc: vpcKeyOf(attachment) });
}

const writeStatus = (context: ControllerContext, attachment: VpcAttachment, identifier: string | undefined, outcome: Outcome, pools?: PoolUsage[]) =>
  writeStatusOf(context, ATTACHMENTS, context.attachments, attachment, attachmentStatus(attachment, identifier, outcome, context.now(), pools));

/** Fixed addresses of the attachments in the same VPC (they are not free in any pool). */
const fixedAddressesOf = (context: ControllerContext, attachment: VpcAttachment): string[] =>
  attachmentsOf(context, vpcKeyOf(attachment)).flatMap(addressesOf);

const ALLOCATION_LOCK = '*vpcattachment-identifiers*';
const ROUND_WRITES_IN_FLIGHT = 32;

/**
 * Allocates the attachment's identifier, unique among the attachments of its
 * VPC as listed live from the API server. Allocation goes in rounds, one at a
 * time per process (leader election keeps other replicas from allocating at
 * all): a round lists live, then assigns every attachment still waiting for an
 * identifier in that list, so a burst of new attachments costs a few lists
 * instead of one each. The list is the VPC's own (field selector) unless
 * attachments of several VPCs wait, then it is all attachments. Each write
 * carries the resourceVersion from that list: an attachment changed since
 * conflicts, and only its own pass retries.
 */
async function assignIdentifier(
  context: ControllerContext,
  attachment: VpcAttachment,
  log: Log,
): Promise<{ attachment: VpcAttachment; identifier: string } | undefined> {
  const key = keyOf(attachment.metadata);
  return context.locks.run(ALLOCATION_LOCK, async () => {
    const known = context.attachments.get(key);
    if (known && known.metadata.uid === attachment.metadata.uid && known.status?.identifier) {
      return { attachment: known, identifier: known.status.identifier }; // assigned by an earlier round
    }
    const live = await liveForAllocation(context, vpcKeyOf(attachment));
    const current = live.find((item) => item.metadata.uid === attachment.metadata.uid);
    if (!current) return undefined; // deleted or recreated meanwhile
    if (current.status?.identifier) {
      context.attachments.wrote(current);
      return { attachment: current, identifier: current.status.identifier };
    }
    const round: Array<{ item: VpcAttachment; identifier: string }> = [];
    for (const [vpcKey, members] of groupBy(live, vpcKeyOf)) {
      const vpc = context.vpcs.get(vpcKey);
      const taken = new Set(members.map((item) => item.status?.identifier).filter((id): id is string => !!id));
      // Pods of pool attachments hold endpoint identifiers from the same space.
      const vpcHex = vpc?.status?.identifier;
      for (const endpoint of context.endpoints.list()) if (endpoint.spec.vpc.identifier === vpcHex) taken.add(endpoint.spec.endpoint);
      const waiting: VpcAttachment[] = members.filter(
        (item: VpcAttachment) => item === current || (!item.status?.identifier && !item.metadata.deletionTimestamp && !attachmentBlocker(item, vpc)),
      );
      for (const item of waiting) {
        try {
          const identifier = allocateIdentifier(taken, 16);
          taken.add(identifier);
          round.push({ item, identifier });
        } catch (error) {
          if (!(error instanceof IdentifiersExhaustedError)) throw error;
          if (item !== current) continue;
          await writeStatus(context, current, undefined, {
            ready: false,
            reason: 'IdentifiersExhausted',
            message: `VPC ${vpcKey} has no free attachment identifier: ${error.message}`,
          });
          return undefined;
        }
      }
    }
    round.sort((a, b) => Number(b.item === current) - Number(a.item === current));
    const results = await mapLimit(round, ROUND_WRITES_IN_FLIGHT, async ({ item, identifier }) => {
      const written = await writeStatus(context, item, identifier, {
        ready: false,
        reason: 'Provisioning',
        message: `identifier ${identifier} assigned; writing the NetworkAttachmentDefinition`,
      });
      log.info('identifier assigned', { attachment: keyOf(item.metadata), identifier, vpc: vpcKeyOf(item) });
      return written;
    });
    const mine = results[0]!;
    if (mine.status === 'rejected') throw mine.reason;
    return { attachment: mine.value, identifier: round[0]!.identifier };
  });
}

/** The live list an allocation round checks against (see assignIdentifier). */
async function liveForAllocation(context: ControllerContext, vpcKey: string): Promise<VpcAttachment[]> {
  const waitingVpcs = new Set(context.attachments.list().filter((a) => !a.status?.identifier).map(vpcKeyOf));
  if (waitingVpcs.size <= 1) return liveAttachmentsOf(context, vpcKey);
  return (await context.kube.list<VpcAttachment>(ATTACHMENTS)).items;
}

function groupBy<T>(items: T[], keyFn: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyFn(item), [...(groups.get(keyFn(item)) ?? []), item]);
  return groups;
}

/**
 * Creates or updates the NAD; undefined when a NAD of that name exists that
 * another controller owns (left alone, reported on the attachment).
 */
async function ensureNad(
  context: ControllerContext,
  desired: NetworkAttachmentDefinition,
  log: Log,
): Promise<NetworkAttachmentDefinition | undefined> {
  const key = keyOf(desired.metadata);
  const { namespace, name } = parseKey(key);
  let existing = context.nads.get(key);
  if (!existing) {
    try {
      const created = await context.kube.create(NADS, desired);
      context.nads.wrote(created);
      log.info('NetworkAttachmentDefinition created');
      return created;
    } catch (error) {
      if (!isConflict(error)) throw error;
      // Exists but not in our (label-selected) cache: someone else's, or ours without the label.
      existing = await context.kube.get<NetworkAttachmentDefinition>(NADS, namespace, name);
      if (!existing) throw error;
    }
  }
  if (nadMatches(existing, desired)) return existing;
  const owner = controllerOf(existing);
  // Ours: controlled by this attachment or an earlier one of the same name, or
  // carrying our label with its ownerReference stripped.
  const ours = owner ? owner.name === desired.metadata.name : existing.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;
  if (!ours) return undefined;
  const updated = await context.kube.replace(NADS, {
    ...desired,
    metadata: { ...existing.metadata, ...desired.metadata, resourceVersion: existing.metadata.resourceVersion },
  });
  context.nads.wrote(updated, existing.metadata.resourceVersion);
  log.info('NetworkAttachmentDefinition updated');
  return updated;
}

/** The attachment is gone: delete the NAD it controlled (after a live check). */
async function removeOrphanNad(context: ControllerContext, key: string, log: Log): Promise<void> {
  const nad = context.nads.get(key);
  const owner = nad && controllerOf(nad);
  if (!nad || !owner) return;
  const { namespace, name } = parseKey(key);
  const live = await context.kube.get<VpcAttachment>(ATTACHMENTS, namespace, name);
  if (live && live.metadata.uid === owner.uid) return; // the cache was behind
  await context.kube.delete(NADS, namespace, name, nad.metadata.uid);
  context.nads.deleted(key, nad.metadata.resourceVersion);
  log.info('attachment deleted; its NetworkAttachmentDefinition removed');
}
