// Agent programming benchmark: `node --import tsx bench/agent.ts [--sids N] [--changes N]`.
//
// In a network namespace on this machine's kernel, with `lo` as the encap
// device (egress tables need no VRF): 2×N egress routes (N remote SIDs, one
// IPv4 and one IPv6 network each; N = 10,000 by default) from an empty kernel
// to converged, through the agent's own reconcile loop (stores → plan → diff
// → one ip -batch), then single route changes in the converged table. Then
// the naive method on the same input: one route per prefix with its own
// inline seg6 encap, in one ip -batch too, and the ratio of the two.
//
// The attachment's VRF and its ingress SID route cannot exist on a kernel
// without the vrf module; the kernel adapter's view gets them added (exactly
// as `ip -j` shows them on a node), so the agent computes the same state as
// on a node and programs everything else for real.
import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom, share, tap, timeout } from 'rxjs';
import { createLogger } from '../lib/log.js';
import { run } from '../lib/iproute.js';
import { vrfName } from '../lib/names.js';
import { encodeSid, parseSrv6Net } from '../lib/sid.js';
import { type PassRecord, kernelLoop } from '../agent/loop.js';
import { parseRouteMessage } from '../agent/route-validation.js';
import { diff } from '../agent/diff.js';
import { Kernel } from '../agent/kernel.js';
import { MAIN_TABLE, type ObservedKernel, routeKey } from '../agent/kernel-state.js';
import { plan } from '../agent/plan.js';
import { RegistrationStore, RouteStore, currentVersion } from '../agent/registrations.js';
import { createNetns } from '../agent/testing/netns.js';
import type { RouteMessage } from '../proto/remote.js';
import { numberArg } from './args.js';

const SIDS = numberArg('sids', 10_000);
const CHANGES = numberArg('changes', 50);
const TABLE = 100;
const NET = parseSrv6Net('2001:db8:ff01::/48');
const VPC = 0xbeefn;
const ATTACHMENT = 1n;
const LOCAL_SID = encodeSid(NET, { vpc: VPC, attachment: ATTACHMENT });
const VRF = vrfName(VPC, ATTACHMENT);

const remoteSid = (i: number): string => `2001:db8:${(0x1000 + (i >> 16)).toString(16)}::${(i & 0xffff).toString(16)}`;
const networks = (i: number): [string, string] => [`10.${(i >> 8) & 0xff}.${i & 0xff}.0/24`, `2001:${(0x1000 + i).toString(16)}::/64`];

/** The node's view: plus the VRF the CNI plugin made and the ingress route the agent made (impossible without vrf here). */
class NodeViewKernel extends Kernel {
  override async observe(): Promise<ObservedKernel> {
    const observed = await super.observe();
    observed.links.set(VRF, { name: VRF, kind: 'vrf', vrfTable: TABLE });
    const dst = `${LOCAL_SID}/128`;
    observed.routes.set(routeKey(6, MAIN_TABLE, dst), {
      family: 6, table: MAIN_TABLE, dst, metric: 1024, protocol: 201, encap: 'seg6local', action: 'End.DT46', vrfTable: TABLE, dev: VRF,
    });
    return observed;
  }
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!;

async function countIn(ns: string): Promise<{ routes: number; nexthops: number }> {
  const routes4 = JSON.parse(await run(['ip', '-n', ns, '-j', '-4', 'route', 'show', 'table', String(TABLE)])) as unknown[];
  const routes6 = JSON.parse(await run(['ip', '-n', ns, '-j', '-6', 'route', 'show', 'table', String(TABLE)])) as unknown[];
  const nexthops = (await run(['ip', '-n', ns, 'nexthop', 'show'])).split('\n').filter((l) => l.trim() !== '').length;
  return { routes: routes4.length + routes6.length, nexthops };
}

interface AgentFigures {
  convergeMs: number;
  firstPassMs: number;
  /** Of which in ip -batch (the last apply of the convergence). */
  firstBatchMs: number;
  ingestMs: number;
  changes: number[];
  lines: number;
  /** A full observation of the converged kernel (start-up, periodic resync). */
  fullReadMs?: number;
  /** Errors of passes that failed (and were retried). */
  failed: string[];
}

async function agentMethod(): Promise<AgentFigures> {
  const ns = await createNetns('bench-agent');
  let result: AgentFigures;
  try {
    const logger = createLogger('bench', { level: 'warn' });
    const kernel = new NodeViewKernel({ netns: ns.name });
    const registrations = new RegistrationStore();
    registrations.register({ sid: LOCAL_SID, vpc: VPC, attachment: ATTACHMENT, networks: [] });
    const routes = new RouteStore();
    routes.beginResync('bench');

    // What the control plane does with 2×SIDS route ADDs.
    const ingestStart = performance.now();
    for (let i = 0; i < SIDS; i++) {
      for (const network of networks(i)) {
        const message: RouteMessage = { kind: 'route', network, srv6Endpoint: LOCAL_SID, srv6Segments: [remoteSid(i)], status: 'ADD' };
        routes.add(parseRouteMessage(message, NET));
      }
    }
    routes.completeResync('bench');
    const ingestMs = performance.now() - ingestStart;

    const passes: PassRecord[] = [];
    const records = kernelLoop({ kernel, registrations, routes, encapDevice: 'lo', resyncIntervalMs: 3_600_000, logger }).pipe(
      tap((record) => passes.push(record)),
      share(),
    );
    const passAt = (version: number, converged: boolean): Promise<PassRecord> =>
      firstValueFrom(records.pipe(filter((r) => r.ok && r.version >= version && (!converged || r.actions === 0)), timeout(60_000)));

    // From empty to converged (a pass that finds nothing left to do).
    const start = performance.now();
    const running = records.subscribe();
    try {
      await passAt(currentVersion(registrations, routes), true);
      const convergeMs = performance.now() - start;
      const first = passes.find((p) => p.actions > 0)!;
      const firstBatchMs = kernel.lastBatchMs;

      const counted = await countIn(ns.name);
      if (counted.routes !== 2 * SIDS || counted.nexthops !== 2 * SIDS) {
        throw new Error(`kernel has ${counted.routes} routes and ${counted.nexthops} nexthops, expected ${2 * SIDS} of each`);
      }

      // Single changes: one route moves to another SID (route replace; the nexthop it no longer needs goes).
      const changes: number[] = [];
      for (let k = 0; k < CHANGES; k++) {
        const [network] = networks(k);
        const moved = parseRouteMessage({ kind: 'route', network, srv6Endpoint: LOCAL_SID, srv6Segments: [remoteSid(SIDS - 1 - k)], status: 'ADD' }, NET);
        const applied = passAt(currentVersion(registrations, routes) + 1, false);
        const t = performance.now();
        routes.add(moved);
        await applied;
        changes.push(performance.now() - t);
        await passAt(currentVersion(registrations, routes), true); // the verifying pass
      }
      const failed = passes.filter((p) => !p.ok);
      result = { convergeMs, firstPassMs: first.durationMs, firstBatchMs, ingestMs, changes, lines: first.actions, failed: failed.map((p) => String((p.error as Error)?.message ?? p.error)) };
    } finally {
      running.unsubscribe();
    }

    // The kernel as a restarted agent reads it agrees with the desired state.
    const readStart = performance.now();
    const fresh = await new NodeViewKernel({ netns: ns.name }).observe();
    result.fullReadMs = performance.now() - readStart;
    const intent = { registrations: registrations.registrations$.value, routes: routes.view(), resyncing: false, version: 0 };
    const remaining = diff(plan(intent, fresh, 'lo').desired, fresh);
    if (remaining.length > 0) throw new Error(`a fresh read still differs: ${remaining.length} changes`);
    return result;
  } finally {
    await ns.delete();
  }
}

async function naiveMethod(): Promise<{ ms: number; oneChangeMs: number }> {
  const ns = await createNetns('bench-naive');
  try {
    const lines: string[] = [];
    for (let i = 0; i < SIDS; i++) {
      for (const network of networks(i)) lines.push(`route add ${network} encap seg6 mode encap segs ${remoteSid(i)} dev lo table ${TABLE} proto 201`);
    }
    const start = performance.now();
    await run(['ip', '-n', ns.name, '-batch', '-'], { input: `${lines.join('\n')}\n` });
    const total = performance.now() - start;
    const counted = await countIn(ns.name);
    if (counted.routes !== 2 * SIDS) throw new Error(`naive: ${counted.routes} routes, expected ${2 * SIDS}`);
    const t = performance.now();
    await run(['ip', '-n', ns.name, 'route', 'replace', networks(0)[0], 'encap', 'seg6', 'mode', 'encap', 'segs', remoteSid(SIDS - 1), 'dev', 'lo', 'table', String(TABLE), 'proto', '201']);
    return { ms: total, oneChangeMs: performance.now() - t };
  } finally {
    await ns.delete();
  }
}

const agent = await agentMethod();
const naive = await naiveMethod();
const out = [
  `agent programming benchmark: ${2 * SIDS} egress routes (${SIDS} remote SIDs, IPv4 + IPv6), kernel ${(await run(['uname', '-r'])).trim()}`,
  `  route messages into the store:        ${ms(agent.ingestMs)}`,
  `  agent, empty to converged:            ${ms(agent.convergeMs)}   (target < 2000 ms; first pass ${ms(agent.firstPassMs)}, of which ip -batch ${ms(agent.firstBatchMs)} for ${agent.lines} lines)`,
  `  agent, one route changed (${agent.changes.length} runs):   median ${ms(percentile(agent.changes, 0.5))}, p90 ${ms(percentile(agent.changes, 0.9))}, max ${ms(Math.max(...agent.changes))}   (target < 20 ms)`,
  ...(agent.failed.length > 0 ? [`  retried passes: ${agent.failed.length} (${[...new Set(agent.failed.map((e) => e.replace(/.*: /, '')))].join('; ')})`] : []),
  `  full kernel read of the result:       ${ms(agent.fullReadMs ?? NaN)}   (start-up and every --resync-interval)`,
  `  naive inline encap, empty to all:     ${ms(naive.ms)}   (one route replaced: ${ms(naive.oneChangeMs)})`,
  `  naive / agent:                        ${(naive.ms / agent.convergeMs).toFixed(1)}×`,
];
process.stdout.write(`${out.join('\n')}\n`);
