// GC and STATUS (CNI 1.1).
//
// GC: the runtime lists the attachments of this network that are still valid
// (`cni.dev/valid-attachments`: container id + interface name). The network is
// one VPCAttachment, so its kernel objects are this config's VRF and host
// veth; when their owner (the alias ADD wrote on them) is not in the list,
// they are deregistered and removed like DEL does. Links without an owner
// alias (made by another tool) are left alone, and without the key nothing is
// collected.
//
// STATUS: ready when the agent's socket answers an HTTP/2 PING; otherwise
// code 50, so the runtime sends no ADD that could not register.
import { AgentUnavailableError } from './agent-client.js';
import { type Context, attachmentLinks, callAgent, removeForwardRules, removeLinks } from './context.js';
import { CniError, ErrorCode } from './errors.js';
import { namesOf, parseOwnerAlias, registrationOf } from './plan.js';
import type { System } from './system.js';

export async function gc(ctx: Context): Promise<void> {
  const { conf, sys, log } = ctx;
  if (conf.validAttachments === undefined) {
    log.info('GC without cni.dev/valid-attachments: nothing collected');
    return;
  }
  const names = namesOf(conf);
  const { vrf, host } = await attachmentLinks(sys, names);
  const owner = parseOwnerAlias(vrf?.alias ?? host?.alias);
  if (!owner) return;
  if (conf.validAttachments.some((v) => v.containerID === owner.containerId && v.ifname === owner.ifname)) return;
  log.info('GC: removing a stale attachment', { vrf: names.vrf, owner: owner.containerId, ifname: owner.ifname });
  try {
    await callAgent(ctx, 'Deregister', registrationOf(conf));
  } catch (error) {
    if (!(error instanceof CniError && error.code === ErrorCode.TryAgainLater)) throw error;
    log.warn('GC: agent unreachable, removing the kernel objects without deregistering', { error: error.message });
  }
  await removeForwardRules(sys, names);
  await removeLinks(sys, names, vrf, host);
}

export async function status(sys: System, agentSocket: string): Promise<void> {
  try {
    await sys.agentPing(agentSocket);
  } catch (error) {
    if (!(error instanceof AgentUnavailableError)) throw error;
    throw new CniError(
      ErrorCode.NotAvailable,
      `the galactic agent is not answering on ${agentSocket}: ${error.message}`,
      'start the galactic agent on this node (DaemonSet), or set agent_socket in the network configuration to its socket',
    );
  }
}
