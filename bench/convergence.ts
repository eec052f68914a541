// Convergence: from a CNI ADD returning on one node to the egress route for
// the new pod present on the other nodes, median over 20 pods, in the lab
// (three nodes, agents, router, broker) on a kernel with VRF and SRv6.
//   node --import tsx bench/convergence.ts [--pods 20]
import { performance } from 'node:perf_hooks';
import { startKernelHost } from '../hack/kernel/index.js';
import { Lab } from '../hack/lab/lab.js';
import { waitFor } from '../lib/wait.js';
import { addPod, galacticExecutable, removePod } from '../test/support/datapath.js';
import type { PodSpec } from '../test/support/seed.js';

const podsArg = process.argv.indexOf('--pods');
const POD_COUNT = Math.min(podsArg > 0 ? Number(process.argv[podsArg + 1]) : 20, 200);
const NODES = ['sjc', 'iad', 'ams'];
const VPC = 0x4d2n;

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Whether a node's kernel holds a route for this host address (ip -j prints /32 without the length). */
async function hasRoute(lab: Lab, node: string, address: string): Promise<boolean> {
  const out = await lab.sh(`ip -n ${node} -j -4 route show table all to ${address}/32`);
  return out.trim() !== '' && out.trim() !== '[]';
}

const host = await startKernelHost();
let lab: Lab | undefined;
try {
  lab = await Lab.create({ host, nodes: NODES, galactic: [galacticExecutable()] });
  await lab.startBroker();
  await lab.startRouter();
  for (const node of NODES) await lab.startAgent(node);
  // A first pod on every node, so each node has the VPC's VRF to receive routes into.
  const anchors: PodSpec[] = NODES.map((node, i) => ({
    pod: `anchor-${node}`, node, vpc: VPC, attachment: BigInt(100 + i),
    addresses: [`10.1.1.${201 + i}/24`], terminations: [], podRoutes: [], prefixAddresses: [],
  }));
  for (const anchor of anchors) await addPod(lab, anchor);

  const samples: number[] = [];
  for (let i = 0; i < POD_COUNT; i++) {
    const address = `10.1.1.${i + 1}`;
    const spec: PodSpec = { pod: `bench-${i}`, node: 'sjc', vpc: VPC, attachment: BigInt(200 + i), addresses: [`${address}/24`], terminations: [], podRoutes: [], prefixAddresses: [] };
    await addPod(lab, spec);
    const returned = performance.now();
    await waitFor(async () => (await Promise.all(['iad', 'ams'].map((node) => hasRoute(lab!, node, address)))).every(Boolean), {
      what: `the route to ${address} on iad and ams`,
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    samples.push(performance.now() - returned);
    await removePod(lab, spec);
  }
  samples.sort((a, b) => a - b);
  console.log(`kernel host: ${host.kind}`);
  console.log(`convergence after CNI ADD returns, route present on the 2 other nodes, ${POD_COUNT} pods:`);
  console.log(`  median ${quantile(samples, 0.5).toFixed(0)} ms, p95 ${quantile(samples, 0.95).toFixed(0)} ms, min ${samples[0]!.toFixed(0)} ms, max ${samples.at(-1)!.toFixed(0)} ms`);
  console.log('  (includes the polling interval of 20 ms plus one `ip` call per node per poll on the kernel host)');
} finally {
  await lab?.teardown();
  await host.close();
}
