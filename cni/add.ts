// ADD (SPEC §7): VRF → veth → termination routes → FORWARD rule → host-device
// (the guest end into the pod, static IPAM) → Register with the agent. The
// table is chosen and the VRF created under a node-wide lock. After the links
// exist, the IPv4 routes, both FORWARD rules and host-device run concurrently
// (they do not depend on each other); Register comes last, once the data path
// is complete. Any failure undoes, in reverse, everything this call created.
import { warmAgentClient } from './agent-client.js';
import { type Context, attachmentLinks, callAgent, hostDeviceCall, removeForwardRules, removeLinks, requireNetns } from './context.js';
import { CniError, ErrorCode } from './errors.js';
import { withLock } from './lock.js';
import { addBatches, allocateTable, forwardRule, namesOf, ownerAlias, registrationOf, sysctlsOf } from './plan.js';
import { type CniResult, parseResult, renderResult } from './result.js';
import { Transaction, describeRollback } from './transaction.js';

export const TABLE_LOCK = 'vrf-table';

export async function add(ctx: Context): Promise<Record<string, unknown>> {
  const { conf, env, sys, log } = ctx;
  const names = namesOf(conf);
  const owner = ownerAlias(env.containerId, env.ifname);
  const hostDevice = sys.findPlugin('host-device', env.path);
  if (!hostDevice) {
    throw new CniError(
      ErrorCode.DelegateFailure,
      `the host-device plugin is not in CNI_PATH (${env.path.join(':')})`,
      'install the community CNI plugins (Debian: containernetworking-plugins, in /usr/lib/cni) and include their directory in CNI_PATH',
    );
  }
  await requireNetns(ctx);
  // Loads the gRPC client's modules once the first ip(8) child runs, off the critical path.
  setImmediate(() => void warmAgentClient());
  let delegated: unknown;
  let mac: Promise<string | undefined> = Promise.resolve(undefined);
  const started = performance.now();
  const milestone = (what: string): void => log.debug(`ADD: ${what}`, { ms: Math.round(performance.now() - started) });
  await Transaction.run(
    async (tx) => {
      const table = await withLock(ctx.lockDir, TABLE_LOCK, async () => {
        const { vrf, host, guest, all } = await attachmentLinks(sys, names);
        const present = [vrf, host, guest].filter((l) => l !== undefined);
        if (present.length) {
          const holder = present.find((l) => l.alias)?.alias;
          throw new CniError(
            ErrorCode.AlreadyAttached,
            `attachment ${conf.vpcHex}/${conf.attachmentHex} is already set up on this node (${present.map((l) => l.name).join(', ')}${holder ? `, ${holder}` : ''})`,
            'a VPCAttachment serves one pod per node: delete the other pod first, or run CNI DEL for the container that owns it',
          );
        }
        const chosen = allocateTable(all.filter((l) => l.kind === 'vrf' && l.table !== undefined).map((l) => l.table!));
        const batches = addBatches(conf, names, chosen, owner);
        await tx.step(
          `links ${names.vrf} and ${names.host} (table ${chosen})`,
          () => sys.ipBatch(6, batches.links),
          async () => {
            const now = await attachmentLinks(sys, names);
            await removeLinks(sys, names, now.vrf, now.host);
          },
        );
        return { chosen, ipv4: batches.ipv4 };
      });
      milestone(`links created on table ${table.chosen}`);
      await tx.step('sysctls', () => Promise.all(sysctlsOf(names).map(([key, value]) => sys.writeSysctl(key, value))));
      const [, , , result] = await tx.parallel([
        { what: 'IPv4 termination routes', run: () => sys.ipBatch(4, table.ipv4), undo: () => sys.ipBatch(4, [`route flush table ${table.chosen}`]) },
        { what: 'iptables FORWARD rule', run: () => sys.iptables(4, ['-t', 'filter', '-I', 'FORWARD', '1', ...forwardRule(names)]), undo: () => removeForwardRules(sys, names) },
        { what: 'ip6tables FORWARD rule', run: () => sys.iptables(6, ['-t', 'filter', '-I', 'FORWARD', '1', ...forwardRule(names)]) },
        {
          what: `host-device ADD of ${names.guest}`,
          run: () => sys.delegate(hostDevice, hostDeviceCall(ctx, names, 'ADD')),
          undo: async () => {
            await sys.delegate(hostDevice, hostDeviceCall(ctx, names, 'DEL'));
          },
        },
      ]);
      delegated = result;
      milestone('routes, FORWARD rules and host-device done');
      mac = sys.mac(names.host); // read while the agent answers
      const request = registrationOf(conf);
      await tx.step(
        'agent registration',
        () => callAgent(ctx, 'Register', request),
        async () => {
          await sys.agentCall(conf.agentSocket, 'Deregister', request);
        },
      );
    },
    (report, error) => {
      const cause = error instanceof Error ? error.message : String(error);
      log.warn('ADD failed, rolled back', { container: env.containerId, error: cause, undone: report.undone, rollbackFailures: report.failed });
      if (error instanceof CniError) error.details = [error.details, describeRollback(report)].filter(Boolean).join('\n');
    },
  );

  milestone('registered');
  let result: CniResult = {};
  if (delegated !== undefined) result = parseResult(delegated);
  const hostMac = await mac;
  result.interfaces = [...(result.interfaces ?? []), { name: names.host, ...(hostMac ? { mac: hostMac } : {}) }];
  return renderResult(result, conf.cniVersion);
}
