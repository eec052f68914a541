// VPC controller: one pass for one VPC key, level-triggered (it reads the
// current state and does what is missing; running it twice changes nothing).
//
// Deletion rule: every VPC carries the finalizer galactic.datumapis.com/attachments.
// While VPCAttachments still reference a VPC being deleted, the finalizer stays,
// the VPC keeps its identifier (so running attachments keep working), its
// `Terminating` condition names the attachments that hold it, and no new
// attachment is provisioned in it. When the last one is gone (checked against
// a live list, not just the cache) the finalizer is removed and the VPC goes.
import type { WorkResult } from '../lib/workqueue.js';
import { allocateIdentifier } from './allocate.js';
import { ATTACHMENTS, type ControllerContext, VPCS, attachmentsOf, describe, writeFinalizers, writeStatus } from './context.js';
import { KubeError } from './kube.js';
import { VPC_FINALIZER, type Vpc, type VpcAttachment, keyOf, parseKey, vpcKeyOf } from './model.js';
import { vpcStatus } from './status.js';

const ALL_VPCS_LOCK = '*vpcs*';
const WAIT_FOR_ATTACHMENTS_MS = 30_000;

export async function reconcileVpc(context: ControllerContext, key: string): Promise<WorkResult | void> {
  let vpc = context.vpcs.get(key);
  if (!vpc) return;
  const log = context.logger.child({ controller: 'vpc', key });

  if (vpc.metadata.deletionTimestamp) {
    if (!vpc.metadata.finalizers?.includes(VPC_FINALIZER)) return;
    const cached = attachmentsOf(context, key);
    const remaining = cached.length > 0 ? cached : await liveAttachmentsOf(context, key);
    if (remaining.length === 0) {
      await writeFinalizers(context, VPCS, context.vpcs, vpc, vpc.metadata.finalizers.filter((f) => f !== VPC_FINALIZER));
      log.info('no attachments left; finalizer removed, VPC deleted');
      return;
    }
    await writeStatus(context, VPCS, context.vpcs, vpc, vpcStatus(vpc, vpc.status?.identifier, describe(remaining), context.now()));
    log.info('deletion waits for attachments', { remaining: remaining.length });
    return { requeueAfterMs: WAIT_FOR_ATTACHMENTS_MS };
  }

  if (!vpc.metadata.finalizers?.includes(VPC_FINALIZER)) {
    vpc = await writeFinalizers(context, VPCS, context.vpcs, vpc, [...(vpc.metadata.finalizers ?? []), VPC_FINALIZER]);
  }

  if (!vpc.status?.identifier) {
    await assignIdentifier(context, vpc, log);
    return;
  }
  await writeStatus(context, VPCS, context.vpcs, vpc, vpcStatus(vpc, vpc.status.identifier, undefined, context.now()));
}

/**
 * Picks identifiers unused by every VPC in a fresh (live) list and writes each
 * with its VPC's resourceVersion from that list as precondition: a concurrent
 * change makes that write conflict and its pass retry. One round at a time per
 * process, covering every VPC still waiting (a burst costs one list); leader
 * election keeps other replicas from allocating at all.
 */
async function assignIdentifier(context: ControllerContext, vpc: Vpc, log: ControllerContext['logger']): Promise<void> {
  const key = keyOf(vpc.metadata);
  await context.locks.run(ALL_VPCS_LOCK, async () => {
    const known = context.vpcs.get(key);
    if (known && known.metadata.uid === vpc.metadata.uid && known.status?.identifier) return; // an earlier round did it
    const live = (await context.kube.list<Vpc>(VPCS)).items;
    const current = live.find((item) => item.metadata.uid === vpc.metadata.uid);
    if (!current) return; // deleted meanwhile
    if (current.status?.identifier) {
      context.vpcs.wrote(current);
      return;
    }
    const taken = new Set(live.map((item) => item.status?.identifier).filter((id): id is string => !!id));
    const waiting = live.filter((item) => item !== current && !item.status?.identifier && !item.metadata.deletionTimestamp);
    const results = await Promise.allSettled(
      [current, ...waiting].map(async (item) => {
        const identifier = allocateIdentifier(taken, 48);
        taken.add(identifier);
        await writeStatus(context, VPCS, context.vpcs, item, vpcStatus(item, identifier, undefined, context.now()));
        log.info('identifier assigned', { vpc: keyOf(item.metadata), identifier });
      }),
    );
    if (results[0]!.status === 'rejected') throw results[0]!.reason;
  });
}

/**
 * Attachments referencing a VPC, from the API server: a field selector on
 * spec.vpc.name (the CRD's selectableFields, Kubernetes 1.31+), or all
 * attachments where the API server does not support it.
 */
export async function liveAttachmentsOf(context: ControllerContext, vpcKey: string): Promise<VpcAttachment[]> {
  const { name } = parseKey(vpcKey);
  let items: VpcAttachment[] | undefined;
  if (context.selectByVpc) {
    try {
      items = (await context.kube.list<VpcAttachment>(ATTACHMENTS, { fieldSelector: `spec.vpc.name=${name}` })).items;
    } catch (error) {
      if (!(error instanceof KubeError && error.code === 400 && /field label not supported/.test(error.message))) throw error;
      context.selectByVpc = false;
      context.logger.warn('the API server cannot select VPCAttachments by spec.vpc.name (CRD without selectableFields, or Kubernetes < 1.31); listing all');
    }
  }
  items ??= (await context.kube.list<VpcAttachment>(ATTACHMENTS)).items;
  return items.filter((attachment) => vpcKeyOf(attachment) === vpcKey);
}
