// VPCAttachment controller: one pass for one attachment key, level-triggered.
// 1. Gone: its NetworkAttachmentDefinition (ours, by ownerReference) is deleted.
//    The operator does this itself instead of relying on the garbage collector,
//    so it also works without kube-controller-manager and costs no finalizer
//    (a finalizer on every attachment would block namespace deletion whenever
//    the operator is not running).
// 2. Blocked (VPC missing, not ready, being deleted, address outside the VPC):
//    status says why; the pass is retried later (and on every VPC event).
// 3. No identifier yet: allocate one unique within the VPC and record it in status.
// 4. NAD created or updated to exactly the SPEC §3 config.
// 5. status.ready and the Ready condition.
import type { WorkResult } from '../lib/workqueue.js';
import { IdentifiersExhaustedError, allocateIdentifier } from './allocate.js';
import { ATTACHMENTS, type ControllerContext, NADS } from './context.js';
import { isConflict } from './kube.js';
import { type NetworkAttachmentDefinition, type Vpc, type VpcAttachment, keyOf, parseKey, vpcKeyOf } from './model.js';
import { controllerOf, desiredNad, nadMatches } from './nad.js';
import { type Outcome, attachmentBlocker, attachmentStatus, provisioned, statusEquals } from './status.js';
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
    return blocker.reason === 'AddressOutsideVPC' ? undefined : { requeueAfterMs: BLOCKED_RECHECK_MS };
  }
  const vpcId = (vpc as Vpc).status!.identifier!;

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
  await writeStatus(context, attachment, identifier, outcome);
  if (!attachment.status?.ready && outcome.ready) log.info('ready', { identifier, vpc: vpcKeyOf(attachment) });
}

async function writeStatus(
  context: ControllerContext,
  attachment: VpcAttachment,
  identifier: string | undefined,
  outcome: Outcome,
): Promise<VpcAttachment> {
  const status = attachmentStatus(attachment, identifier, outcome, context.now());
  if (statusEquals(attachment.status, status)) return attachment;
  const { namespace, name } = parseKey(keyOf(attachment.metadata));
  const written = await context.kube.patchStatus<VpcAttachment>(ATTACHMENTS, namespace, name, {
    metadata: { resourceVersion: attachment.metadata.resourceVersion },
    status,
  });
  context.attachments.wrote(written, attachment.metadata.resourceVersion);
  return written;
}

/**
 * Allocates the attachment's identifier, unique among the attachments of its
 * VPC as listed live from the API server, one allocation per VPC at a time.
 * The write carries the resourceVersion from that list: if the attachment
 * changed since, it conflicts and the pass is retried.
 */
async function assignIdentifier(
  context: ControllerContext,
  attachment: VpcAttachment,
  log: Log,
): Promise<{ attachment: VpcAttachment; identifier: string } | undefined> {
  const vpcKey = vpcKeyOf(attachment);
  return context.locks.run(vpcKey, async () => {
    const live = await liveAttachmentsOf(context, vpcKey);
    const current = live.find((item) => item.metadata.uid === attachment.metadata.uid);
    if (!current) return undefined; // deleted or recreated meanwhile
    if (current.status?.identifier) {
      context.attachments.wrote(current);
      return { attachment: current, identifier: current.status.identifier };
    }
    const taken = live.map((item) => item.status?.identifier).filter((id): id is string => !!id);
    let identifier: string;
    try {
      identifier = allocateIdentifier(taken, 16);
    } catch (error) {
      if (!(error instanceof IdentifiersExhaustedError)) throw error;
      await writeStatus(context, current, undefined, {
        ready: false,
        reason: 'IdentifiersExhausted',
        message: `VPC ${vpcKey} has no free attachment identifier: ${error.message}`,
      });
      return undefined;
    }
    const pending: Outcome = {
      ready: false,
      reason: 'Provisioning',
      message: `identifier ${identifier} assigned; writing the NetworkAttachmentDefinition`,
    };
    const written = await writeStatus(context, current, identifier, pending);
    log.info('identifier assigned', { identifier, vpc: vpcKey });
    return { attachment: written, identifier };
  });
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
  const ours = owner?.name === desired.metadata.name; // this attachment, or an earlier one of the same name
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
