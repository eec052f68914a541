// CHECK (SPEC §7): the attachment's kernel objects exist and match the
// configuration: VRF and host veth (owner, master, MTU, up), sysctls,
// termination routes in the VRF table, both FORWARD rules; then host-device
// CHECK verifies the pod side against prevResult. Every mismatch is reported
// at once (code 103).
import { hostRoute } from '../lib/ip.js';
import { type Context, attachmentLinks, hostDeviceCall } from './context.js';
import { CniError, ErrorCode } from './errors.js';
import { forwardRule, namesOf, orderedTerminations, ownerAlias, sysctlsOf } from './plan.js';
import { delegateVersion, parseResult, renderResult } from './result.js';
import type { RouteState } from './system.js';

/** `ip -j` prints /32 and /128 destinations without the prefix length. */
const sameDestination = (shown: string, network: string): boolean =>
  shown === network || (!shown.includes('/') && hostRoute(shown) === network);

export async function check(ctx: Context): Promise<void> {
  const { conf, env, sys } = ctx;
  if (conf.prevResult === undefined) {
    throw new CniError(ErrorCode.InvalidConfig, 'CHECK needs prevResult in the network configuration (the result of ADD)', 'prevResult: the runtime passes the result of ADD; run CHECK only after a successful ADD');
  }
  const names = namesOf(conf);
  const problems: string[] = [];
  const { vrf, host } = await attachmentLinks(sys, names);
  const owner = ownerAlias(env.containerId, env.ifname);
  if (!vrf) problems.push(`VRF ${names.vrf} is missing`);
  else {
    if (vrf.kind !== 'vrf' || vrf.table === undefined) problems.push(`${names.vrf} is not a VRF`);
    if (!vrf.up) problems.push(`VRF ${names.vrf} is down`);
    if (vrf.alias !== undefined && vrf.alias !== owner) problems.push(`VRF ${names.vrf} belongs to ${vrf.alias}, not ${owner}`);
  }
  if (!host) problems.push(`host veth ${names.host} is missing`);
  else {
    if (host.kind !== 'veth') problems.push(`${names.host} is not a veth`);
    if (host.master !== names.vrf) problems.push(`host veth ${names.host} is enslaved to ${host.master ?? 'nothing'}, not ${names.vrf}`);
    if (host.mtu !== conf.mtu) problems.push(`host veth ${names.host} has MTU ${host.mtu}, the configuration says ${conf.mtu}`);
    if (!host.up) problems.push(`host veth ${names.host} is down`);
  }
  const table = vrf?.table;

  const checks: Array<Promise<void>> = [];
  if (vrf && host) {
    checks.push(
      ...sysctlsOf(names).map(async ([key, value]) => {
        const actual = await sys.readSysctl(key).catch(() => 'unreadable');
        if (actual !== value) problems.push(`sysctl ${key} is ${actual}, expected ${value}`);
      }),
    );
  }
  if (table !== undefined) {
    const routes: Record<4 | 6, Promise<RouteState[]>> = { 4: sys.routes(4, table), 6: sys.routes(6, table) };
    checks.push(
      (async () => {
        for (const t of orderedTerminations(conf.terminations)) {
          const found = (await routes[t.family]).find((r) => sameDestination(r.dst, t.network));
          const want = t.via !== undefined ? `via ${t.via}` : `dev ${names.host}`;
          if (!found) problems.push(`route ${t.network} ${want} is missing from table ${table}`);
          else if (t.via !== undefined ? found.gateway !== t.via : found.dev !== names.host) {
            problems.push(`route ${t.network} in table ${table} goes ${found.gateway ? `via ${found.gateway}` : `dev ${found.dev}`}, expected ${want}`);
          }
        }
      })(),
    );
  }
  checks.push(
    ...([4, 6] as const).map(async (family) => {
      try {
        await sys.iptables(family, ['-t', 'filter', '-C', 'FORWARD', ...forwardRule(names)]);
      } catch {
        problems.push(`${family === 4 ? 'iptables' : 'ip6tables'} FORWARD rule -o ${names.host} -j ACCEPT is missing`);
      }
    }),
  );
  await Promise.all(checks);

  const hostDevice = sys.findPlugin('host-device', env.path);
  if (!hostDevice) problems.push(`the host-device plugin is not in CNI_PATH (${env.path.join(':')})`);
  else if (host) {
    const prevResult = renderResult(parseResult(conf.prevResult), delegateVersion(conf.cniVersion));
    try {
      await sys.delegate(hostDevice, hostDeviceCall(ctx, names, 'CHECK', prevResult));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length) {
    throw new CniError(
      ErrorCode.CheckFailed,
      `CHECK of attachment ${conf.vpcHex}/${conf.attachmentHex} failed: ${problems.join('; ')}`,
      'the attachment differs from what ADD made: delete and recreate the pod (DEL then ADD) to rebuild it',
    );
  }
}
