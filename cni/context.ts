// What every command gets: the validated config, the environment, the
// system adapter, a logger and where the lock lives; plus the helpers shared
// by ADD, DEL and GC (agent calls with their error mapping, teardown).
import type { Logger } from '../lib/log.js';
import { AgentStatusError, AgentUnavailableError, type AgentRequest } from './agent-client.js';
import type { CniEnvironment, NetConf } from './config.js';
import { CniError, ErrorCode } from './errors.js';
import { type AttachmentNames, forwardRule, hostDeviceConfig } from './plan.js';
import { delegateVersion } from './result.js';
import type { DelegateCall, LinkState, System } from './system.js';

export interface Context {
  conf: NetConf;
  env: CniEnvironment;
  sys: System;
  log: Logger;
  lockDir: string;
}

/** A host-device invocation for this attachment: the runtime's CNI_* and our device, in the version host-device speaks. */
export function hostDeviceCall(ctx: Pick<Context, 'conf' | 'env'>, names: AttachmentNames, command: DelegateCall['command'], prevResult?: unknown): DelegateCall {
  const { conf, env } = ctx;
  return {
    command,
    containerId: env.containerId,
    netns: env.netns,
    ifname: env.ifname,
    path: env.path,
    args: withoutIpArg(env.args),
    config: hostDeviceConfig(conf, names, delegateVersion(conf.cniVersion), prevResult),
  };
}

/**
 * CNI_ARGS for host-device without `IP=`: Multus passes a pod's `ips` both as
 * runtimeConfig.ips and (deprecated) as IP= in CNI_ARGS, and host-device's
 * static IPAM would add them to the addresses of our config a second time
 * (EEXIST). The addresses it configures come from our config alone.
 */
export function withoutIpArg(args: string): string {
  return args.split(';').filter((arg) => arg !== '' && !arg.startsWith('IP=')).join(';');
}

/** ADD and CHECK work in CNI_NETNS: refused (code 4) unless it is a namespace, before any kernel change. */
export async function requireNetns(ctx: Pick<Context, 'env' | 'sys'>): Promise<void> {
  const why = await ctx.sys.netnsProblem(ctx.env.netns);
  if (why === undefined) return;
  throw new CniError(
    ErrorCode.InvalidEnvironment,
    `CNI_NETNS ${JSON.stringify(ctx.env.netns)} is not a network namespace: ${why}`,
    "CNI_NETNS: the runtime passes the path of the container's network namespace (e.g. /var/run/netns/<id> or /proc/<pid>/ns/net); the pod sandbox may be gone",
  );
}

/** Register/Deregister with the agent; unreachable ⇒ code 11, an error answer or a refusal ⇒ code 102. */
export async function callAgent(ctx: Pick<Context, 'conf' | 'sys'>, method: 'Register' | 'Deregister', request: AgentRequest): Promise<void> {
  let reply: { confirmed: boolean };
  try {
    reply = await ctx.sys.agentCall(ctx.conf.agentSocket, method, request);
  } catch (error) {
    if (error instanceof AgentUnavailableError) {
      throw new CniError(
        ErrorCode.TryAgainLater,
        `the galactic agent is not answering on ${ctx.conf.agentSocket}: ${error.message}`,
        'check that the galactic agent (DaemonSet) runs on this node, and that agent_socket in the network configuration names its socket',
      );
    }
    if (error instanceof AgentStatusError) throw new CniError(ErrorCode.AgentFailure, error.message, JSON.stringify(request));
    throw error;
  }
  if (!reply.confirmed) {
    throw new CniError(ErrorCode.AgentFailure, `the galactic agent did not confirm ${method} of vpc ${request.vpc} attachment ${request.vpcattachment}`, JSON.stringify(request));
  }
}

const ABSENT_RULE = /does a matching rule exist|Bad rule|No chain\/target\/match|does not exist/i;

/** Removes the FORWARD rule of both families; an absent rule is fine. */
export async function removeForwardRules(sys: System, names: AttachmentNames): Promise<void> {
  await Promise.all(
    ([4, 6] as const).map(async (family) => {
      try {
        await sys.iptables(family, ['-t', 'filter', '-D', 'FORWARD', ...forwardRule(names)]);
      } catch (error) {
        if (!(error instanceof CniError && ABSENT_RULE.test(`${error.message} ${error.details ?? ''}`))) throw error;
      }
    }),
  );
}

/**
 * Removes an attachment's routes and links: the VRF table is flushed while
 * the VRF still owns it (a concurrent ADD may take the table id the moment
 * the VRF is gone), then the host veth (its peer goes with it) and the VRF.
 */
export async function removeLinks(sys: System, names: AttachmentNames, vrf: LinkState | undefined, host: LinkState | undefined): Promise<void> {
  if (vrf?.table !== undefined) await sys.ipBatch(4, [`route flush table ${vrf.table}`]);
  const lines = [
    ...(vrf?.table !== undefined ? [`route flush table ${vrf.table}`] : []),
    ...(host ? [`link del dev ${names.host}`] : []),
    ...(vrf ? [`link del dev ${names.vrf}`] : []),
  ];
  if (lines.length) await sys.ipBatch(6, lines);
}

/** The attachment's VRF and host veth as they are now. */
export async function attachmentLinks(sys: System, names: AttachmentNames): Promise<{ vrf?: LinkState; host?: LinkState; guest?: LinkState; all: LinkState[] }> {
  const all = await sys.links();
  const find = (name: string): LinkState | undefined => all.find((l) => l.name === name);
  const vrf = find(names.vrf);
  const host = find(names.host);
  const guest = find(names.guest);
  return { ...(vrf ? { vrf } : {}), ...(host ? { host } : {}), ...(guest ? { guest } : {}), all };
}
