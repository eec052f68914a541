// What the demo prints: pods with their SIDs and VRF tables, the routes each
// node learned from the router, a ping matrix with round-trip times, and from
// the API which pods kubelet ran where and the network-status Multus wrote.
import { fromBase62 } from '../lib/identifiers.js';
import { vrfName } from '../lib/names.js';
import { encodeSid, parseSrv6Net } from '../lib/sid.js';
import type { Lab } from './lab/lab.js';
import { NETWORK_STATUS, type PodJson } from './node/kubelet-stack.js';
import type { TestCluster } from '../controllers/testing.js';
import type { AttachedPod } from './stack.js';

type Json = Record<string, unknown>;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function ipJson(lab: Lab, args: string): Promise<Json[]> {
  const out = await lab.sh(`ip -j ${args}`);
  return out.trim() === '' ? [] : (JSON.parse(out) as Json[]);
}

async function podAddresses(lab: Lab, pod: AttachedPod, ifname: string): Promise<string[]> {
  const [link] = await ipJson(lab, `-n ${pod.netns} addr show dev ${ifname}`);
  const infos = (link?.addr_info ?? []) as Array<{ local: string; prefixlen: number; scope: string }>;
  return infos.filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`);
}

export async function podTable(lab: Lab, pods: AttachedPod[]): Promise<string> {
  const rows: string[][] = [];
  for (const pod of pods) {
    for (const { ifname, config } of pod.interfaces) {
      const vpc = fromBase62(String(config.vpc));
      const attachment = fromBase62(String(config.vpcattachment));
      const vrf = vrfName(vpc, attachment);
      const [link] = await ipJson(lab, `-n ${pod.node} -d link show dev ${vrf}`);
      const vrfTable = String((link?.linkinfo as { info_data?: { table?: number } } | undefined)?.info_data?.table ?? '?');
      const sid = encodeSid(parseSrv6Net(lab.node(pod.node).srv6Net), { vpc, attachment });
      rows.push([pod.name, pod.node, ifname, (await podAddresses(lab, pod, ifname)).join(' '), sid, `${vrf} table ${vrfTable}`]);
    }
  }
  return `Pods\n${table(['pod', 'node', 'interface', 'addresses', 'SID', 'VRF'], rows)}`;
}

export async function routeTable(lab: Lab): Promise<string> {
  const rows: string[][] = [];
  for (const node of lab.nodes) {
    const nexthops = new Map<number, string[]>();
    for (const nh of [...(await ipJson(lab, `-n ${node.name} -4 nexthop`)), ...(await ipJson(lab, `-n ${node.name} -6 nexthop`))]) {
      nexthops.set(Number(nh.id), (nh.segs ?? []) as string[]);
    }
    const routes = [...(await ipJson(lab, `-n ${node.name} -4 route show table all`)), ...(await ipJson(lab, `-n ${node.name} -6 route show table all`))];
    for (const route of routes) {
      const segs = route.nhid !== undefined ? nexthops.get(Number(route.nhid)) : route.encap === 'seg6' ? (route.segs as string[]) : undefined;
      if (!segs) continue;
      rows.push([node.name, String(route.table ?? 'main'), String(route.dst), segs.join(',')]);
    }
  }
  return `Routes learned from the router (egress, SRv6 encapsulation)\n${table(['node', 'table', 'destination', 'segments (remote SID)'], rows)}`;
}

interface Probe {
  from: AttachedPod;
  label: string;
  destination: string;
  source?: string;
}

async function pingOnce(lab: Lab, probe: Probe): Promise<number | undefined> {
  const argv = ['ip', 'netns', 'exec', probe.from.netns, 'ping', '-c1', '-W2', ...(probe.source ? ['-I', probe.source] : []), probe.destination];
  const out = await lab.host.exec(argv);
  const rtt = /time=([\d.]+) ms/.exec(out.stdout);
  return out.code === 0 && rtt ? Number(rtt[1]) : undefined;
}

/** Pings every pod from every other (IPv4, IPv6) and the routed prefixes, retrying failures until the deadline. */
export async function pingMatrix(
  lab: Lab,
  pods: AttachedPod[],
  prefixAddresses: Record<string, string[]>,
  options: { untilAllSucceedMs: number },
): Promise<{ text: string; failures: number }> {
  const addresses = new Map<string, string[]>();
  for (const pod of pods) addresses.set(pod.name, (await podAddresses(lab, pod, pod.interfaces[0]!.ifname)).map((a) => a.split('/')[0]!));
  const probes: Probe[] = [];
  for (const from of pods) {
    for (const to of pods) {
      if (from === to) continue;
      for (const destination of addresses.get(to.name) ?? []) probes.push({ from, label: to.name, destination });
    }
    for (const [owner, destinations] of Object.entries(prefixAddresses)) {
      const sources = prefixAddresses[from.name];
      if (owner === from.name || !sources) continue;
      destinations.forEach((destination, i) => probes.push({ from, label: `${owner} prefix`, destination, source: sources[i]! }));
    }
  }
  const results = new Map<Probe, number | undefined>();
  const deadline = Date.now() + options.untilAllSucceedMs;
  let pending = probes;
  while (pending.length > 0) {
    // The first answer includes neighbour resolution; the RTT shown is a second ping's.
    for (const probe of pending) results.set(probe, (await pingOnce(lab, probe)) === undefined ? undefined : await pingOnce(lab, probe));
    pending = pending.filter((probe) => results.get(probe) === undefined);
    if (Date.now() > deadline) break;
  }
  const rows = probes.map((p) => {
    const rtt = results.get(p);
    return [p.from.name, p.label, `${p.source ? `${p.source} → ` : ''}${p.destination}`, rtt === undefined ? 'FAIL' : `ok ${rtt.toFixed(2)} ms`];
  });
  return { text: `Ping matrix\n${table(['from', 'to', 'address', 'result'], rows)}`, failures: pending.length };
}

/** Every pod the API knows, `kubectl get pods -A -o wide` style: where it runs and on which image. */
export async function apiPodTable(cluster: TestCluster, kubeletNode: string): Promise<string> {
  const { items } = await cluster.getJson<{ items: PodJson[] }>('pods', '-A');
  const rows = items.map((p) => [
    p.metadata.namespace ?? '',
    p.metadata.name,
    p.spec.nodeName ?? '<none>',
    p.status.phase ?? '?',
    (p.spec.containers ?? []).map((c) => c.image).join(','),
  ]);
  return `Pods in the API: kubelet runs those on ${kubeletNode}; the lab attached the others (Pending: no kubelet reports them)\n${table(['namespace', 'pod', 'node', 'phase', 'image'], rows)}`;
}

/** The network-status annotation Multus wrote on a pod, pretty-printed. */
export async function networkStatus(cluster: TestCluster, pod: string, namespace = 'default'): Promise<string> {
  const p = await cluster.getJson<PodJson>('pod', pod, '-n', namespace);
  const value = p.metadata.annotations?.[NETWORK_STATUS];
  const body = value === undefined ? '(none: Multus wrote no network-status)' : JSON.stringify(JSON.parse(value), null, 2);
  return `${NETWORK_STATUS} on ${namespace}/${pod} (written by Multus)\n${body}`;
}
