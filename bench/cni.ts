// CNI ADD and DEL latency on a real kernel (hack/kernel: this machine's when
// it has VRF, a qemu guest otherwise): 50 pods attached one after another to
// one node, then detached, each call timed inside the kernel host exactly as
// a runtime makes it (`ip netns exec NODE dist/galactic`, CNI_* env, config on
// stdin, host-device from /usr/lib/cni, a real gRPC agent on the socket).
// Printed beside the start-up of a bare `node -e 0` and of
// `CNI_COMMAND=VERSION dist/galactic`, timed the same way on the same kernel.
// Then pod-ready latency through kubelet and Multus on a real node, and the
// CNI's share of it (bench/support/pod-ready.ts; READY_PODS=5, 0 skips it).
//   node --import tsx bench/cni.ts        (PODS=50 by default)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startKernelHost } from '../hack/kernel/index.js';
import { toBase62 } from '../lib/identifiers.js';
import { CNI_PLUGINS, CniNode, buildExecutable } from '../cni/kernel-fixture.js';
import { measurePodReady } from './support/pod-ready.js';

const PODS = Number(process.env.PODS ?? 50);
const BARE_RUNS = Number(process.env.BARE_RUNS ?? 20);
const READY_PODS = Number(process.env.READY_PODS ?? 5);
const NODE = 'cnibench';

function config(i: number, socket: string): object {
  const a = `10.${Math.floor(i / 250)}.${i % 250}.1`;
  return {
    cniVersion: '1.0.0',
    name: `default-bench${i}`,
    type: 'galactic',
    vpc: 'jU',
    vpcattachment: toBase62(BigInt(i)),
    mtu: 1372,
    agent_socket: socket,
    terminations: [{ network: `${a.replace(/\.1$/, '.0')}/24` }, { network: `2001:10:${i}::/64` }],
    ipam: { type: 'static', addresses: [{ address: `${a}/24` }, { address: `2001:10:${i}::1/64` }] },
  };
}

const stats = (ms: number[]): { median: number; p95: number; min: number; max: number } => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), min: s[0]!, max: s.at(-1)! };
};

const host = await startKernelHost();
let node: CniNode | undefined;
try {
  const galactic = buildExecutable();
  const cniNode = new CniNode(host, NODE, [galactic]);
  node = cniNode;
  await node.create();
  await node.startAgent();
  const dir = join(host.scratchDir, 'bench');
  await node.sh(`mkdir -p ${dir}`);
  for (let i = 1; i <= PODS + 1; i++) writeFileSync(join(dir, `${i}.json`), JSON.stringify(config(i, node.socket)));
  await node.sh(Array.from({ length: PODS + 1 }, (_, i) => `ip netns add bp${i + 1}`).join('\n'));

  // Times one command per line inside the kernel host: "<label> <exit> <ns>".
  const timed = async (lines: Array<{ label: string; cmd: string }>): Promise<Map<string, number[]>> => {
    const script = lines
      .map(({ label, cmd }) => `s=$(date +%s%N); ${cmd} >/dev/null 2>>${dir}/stderr; c=$?; e=$(date +%s%N); echo "${label} $c $((e - s))"`)
      .join('\n');
    const out = await host.sh(script, { timeoutMs: 3_600_000 });
    const times = new Map<string, number[]>();
    for (const line of out.stdout.trim().split('\n')) {
      const [label, code, ns] = line.split(' ');
      if (code !== '0') throw new Error(`${label} failed (exit ${code}); see ${dir}/stderr:\n${out.stderr}`);
      times.set(label!, [...(times.get(label!) ?? []), Number(ns) / 1e6]);
    }
    return times;
  };
  const cni = (command: string, i: number): string =>
    `CNI_COMMAND=${command} CNI_CONTAINERID=bp${i} CNI_NETNS=/run/netns/bp${i} CNI_IFNAME=galactic0 CNI_PATH=${CNI_PLUGINS} ` +
    `GALACTIC_CNI_LOCK_DIR=${cniNode.runDir} ip netns exec ${NODE} ${galactic} < ${dir}/${i}.json`;
  const bare = `ip netns exec ${NODE} node -e 0`;
  const version = `CNI_COMMAND=VERSION ip netns exec ${NODE} ${galactic}`;

  // Warm-up (page cache, first exec of each binary), not counted.
  await timed([
    { label: 'warm', cmd: bare },
    { label: 'warm', cmd: version },
    { label: 'warm', cmd: cni('ADD', PODS + 1) },
    { label: 'warm', cmd: cni('DEL', PODS + 1) },
  ]);
  const starts = await timed(
    Array.from({ length: BARE_RUNS }, () => [
      { label: 'node', cmd: bare },
      { label: 'version', cmd: version },
    ]).flat(),
  );
  const adds = await timed(Array.from({ length: PODS }, (_, i) => ({ label: 'ADD', cmd: cni('ADD', i + 1) })));
  const registered = node.agentCalls().filter((c) => c.method === 'Register').length;
  const dels = await timed(Array.from({ length: PODS }, (_, i) => ({ label: 'DEL', cmd: cni('DEL', i + 1) })));
  const startsAgain = await timed(Array.from({ length: BARE_RUNS }, () => ({ label: 'node', cmd: bare })));

  const rows = [
    ['node -e 0', stats([...starts.get('node')!, ...startsAgain.get('node')!])],
    ['CNI_COMMAND=VERSION galactic', stats(starts.get('version')!)],
    [`ADD (${PODS} pods)`, stats(adds.get('ADD')!)],
    [`DEL (${PODS} pods)`, stats(dels.get('DEL')!)],
  ] as const;
  const bareMedian = rows[0][1].median;
  console.log(`CNI latency on ${host.kind === 'qemu' ? 'a qemu guest (TCG)' : 'this machine'}'s kernel, ms (${registered - 1} registrations received):`);
  console.log(`${'what'.padEnd(32)}${'median'.padStart(9)}${'p95'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}  × node -e 0`);
  for (const [what, s] of rows) {
    console.log(`${what.padEnd(32)}${s.median.toFixed(0).padStart(9)}${s.p95.toFixed(0).padStart(9)}${s.min.toFixed(0).padStart(9)}${s.max.toFixed(0).padStart(9)}  ${(s.median / bareMedian).toFixed(2)}`);
  }
  const ratio = rows[2][1].median / bareMedian;
  console.log(`target: ADD median under 3 × node -e 0: ${ratio.toFixed(2)} × — ${ratio < 3 ? 'met' : 'NOT met'}`);
} finally {
  await host.sh(`for i in $(seq 1 ${PODS + 1}); do ip netns del bp$i 2>/dev/null; done`).catch(() => undefined);
  await node?.close();
  await host.close();
}

if (READY_PODS > 0) {
  console.log('\npod-ready through kubelet + Multus on a real node (containerd, Multus → bridge + galactic):');
  await measurePodReady(READY_PODS);
}
