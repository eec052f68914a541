// DEL (SPEC §7): Deregister → host-device DEL → FORWARD rules → routes →
// veth → VRF. Idempotent: whatever is already gone is skipped, and DEL of an
// attachment that no longer exists succeeds.
//
// The agent: when it cannot be reached (no socket, refused, no answer), DEL
// warns and removes the kernel objects anyway, so pod deletion never hangs on
// a stopped agent; the agent's SID route goes with the VRF, and the agent is
// expected to deregister, when it starts, attachments that have no VRF any
// more. When the agent answers with an error, DEL fails (code 102) before
// touching the kernel, so the runtime's retry repeats it whole.
//
// Links owned by another container (their alias names it) are left alone: a
// late or repeated DEL of an old pod must not tear down its successor.
import { type Context, attachmentLinks, callAgent, hostDeviceCall, removeForwardRules, removeLinks } from './context.js';
import { CniError, ErrorCode } from './errors.js';
import { namesOf, parseOwnerAlias, registrationOf } from './plan.js';

export async function del(ctx: Context): Promise<void> {
  const { conf, env, sys, log } = ctx;
  const names = namesOf(conf);
  const { vrf, host } = await attachmentLinks(sys, names);
  const owner = parseOwnerAlias(vrf?.alias ?? host?.alias);
  if (owner && (owner.containerId !== env.containerId || owner.ifname !== env.ifname)) {
    log.info('DEL: the attachment belongs to another container, nothing to do', { container: env.containerId, owner: owner.containerId });
    return;
  }

  try {
    await callAgent(ctx, 'Deregister', registrationOf(conf));
  } catch (error) {
    if (!(error instanceof CniError && error.code === ErrorCode.TryAgainLater)) throw error;
    log.warn('DEL: agent unreachable, removing the kernel objects without deregistering', { container: env.containerId, error: error.message });
  }

  const hostDevice = sys.findPlugin('host-device', env.path);
  const delegate = async (): Promise<void> => {
    if (!hostDevice || env.netns === '' || !sys.pathExists(env.netns) || !host) return; // nothing left in a pod to hand back
    try {
      await sys.delegate(hostDevice, hostDeviceCall(ctx, names, 'DEL'));
    } catch (error) {
      // Deleting the host end below removes the guest end wherever it is.
      log.warn('DEL: host-device DEL failed, the veth is removed anyway', { container: env.containerId, error: (error as Error).message });
    }
  };
  await Promise.all([delegate(), removeForwardRules(sys, names)]);
  await removeLinks(sys, names, vrf, host);
}
