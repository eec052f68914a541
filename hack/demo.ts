// `make demo`: the seed's three-PoP example end to end on this machine.
// API server + operator + webhook, kube-scheduler + kube-controller-manager,
// `kubectl apply -f samples/`; SJC a real kubelet node (containerd, real
// Multus, the agent and CNI DaemonSets from the galactic image) whose pod the
// scheduler places and Multus attaches; IAD and AMS lab nodes with lab agents,
// whose pods the lab attaches the way kubelet and Multus do; the router with
// its embedded broker. Then what happened: pods, learned routes, a ping matrix,
// which pods kubelet ran where and the network-status Multus wrote.
import { waitFor } from '../lib/wait.js';
import { galacticExecutable, galacticImage } from '../test/support/datapath.js';
import { repoPath } from '../controllers/testing.js';
import { KubeletStack } from './node/kubelet-stack.js';
import { type AttachedPod, attachPod } from './stack.js';
import { apiPodTable, networkStatus, pingMatrix, podTable, routeTable } from './report.js';

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const progress = (line: string): void => console.log(`[${elapsed()}] ${line}`);

/** The kubelet node; the other two stay lab nodes. */
const REAL = 'sjc';
const LAB_PODS = ['iad', 'ams'];
/** Addresses inside the prefixes routed behind SJC and AMS, put on those pods' loopbacks. */
const PREFIX_ADDRESSES: Record<string, string[]> = { sjc: ['192.168.1.1', '2001:1::1'], ams: ['192.168.2.1', '2001:2::1'] };

/** The pods in the lab's view; the real pod's netns name is kept so cleanup can remove it. */
const pods: AttachedPod[] = [];

async function run(real: KubeletStack): Promise<boolean> {
  await real.start();
  const { cluster, lab } = real.stack;
  progress('kubectl apply -f samples/ (VPC and three VPCAttachments)');
  await cluster.kubectl('apply', '-f', repoPath('samples'));
  await waitFor(
    async () => {
      const list = await cluster.getJson<{ items: Array<{ status?: { ready?: boolean } }> }>('vpcattachments', '-n', 'default');
      return list.items.length > 0 && list.items.every((a) => a.status?.ready);
    },
    { what: 'the attachments to become ready', timeoutMs: 60_000 },
  );
  progress(`creating the sample pods (the webhook adds the Multus annotation); ${REAL}'s is left to the scheduler`);
  await real.applySamplePods();
  for (const name of LAB_PODS) {
    progress(`lab playing kubelet + Multus: CNI ADD for pod ${name}`);
    pods.push(await attachPod(real.stack, name));
  }
  progress(`waiting for kubelet to run pod ${REAL} (scheduler → kubelet → Multus → galactic)`);
  await waitFor(() => real.podReady(REAL), { what: `pod ${REAL} Ready`, timeoutMs: 3 * 60_000, intervalMs: 500 });
  pods.unshift(await real.namePodNamespace(REAL));
  for (const pod of pods) {
    for (const address of PREFIX_ADDRESSES[pod.name] ?? []) {
      await lab.sh(`ip -n ${pod.netns} link set lo up && ip -n ${pod.netns} addr add ${address}/${address.includes(':') ? 128 : 32} dev lo`);
    }
  }
  progress('waiting for the routes to propagate (agent → router → agents)');
  const matrix = await pingMatrix(lab, pods, PREFIX_ADDRESSES, { untilAllSucceedMs: 90_000 });
  console.log(`\n${await apiPodTable(cluster, REAL)}\n\n${await networkStatus(cluster, REAL)}\n`);
  console.log(`${await podTable(lab, pods)}\n\n${await routeTable(lab)}\n\n${matrix.text}\n`);
  progress(matrix.failures === 0 ? 'every expected path works' : `${matrix.failures} expected path(s) failed`);
  return matrix.failures === 0;
}

console.log('Galactic demo: the seed\'s three-PoP VPC (SJC, IAD, AMS), dual-stack, with prefixes routed behind pods.');
console.log('SJC is a real kubelet node; IAD and AMS are simulated. It boots a qemu guest with VRF and SRv6 and takes 3 to 10 minutes, depending on load.\n');
const verbose = process.argv.includes('--verbose');
const log: string[] = [];
const real = new KubeletStack({
  galactic: galacticExecutable(),
  kubeletNodes: [REAL],
  daemonSetImage: galacticImage().archive,
  progress,
  log: (line) => {
    if (verbose) console.log(`  | ${line}`);
    else if (log.push(line) > 200) log.shift(); // the last lines, for a failure's report
  },
});
let cleaning: Promise<void> | undefined;
/** Once, from the end of the run or from Ctrl-C: the real pod's netns name, then kubelet node, control plane, stack. */
const cleanUp = (): Promise<void> =>
  (cleaning ??= (async () => {
    progress('cleaning up');
    const named = pods.find((p) => p.name === REAL);
    if (named) await real.forgetPodNamespace(named).catch(() => undefined);
    await real.stop();
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().then(() => process.exit(130)));
let ok = false;
try {
  ok = await run(real);
} catch (error) {
  if (!verbose) console.error(log.slice(-60).join('\n'));
  console.error(await real.daemonLogs().catch(() => ''));
  console.error(`demo failed: ${(error as Error).message}`);
} finally {
  await cleanUp();
}
process.exitCode = ok ? 0 : 1;
