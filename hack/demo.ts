// `make demo`: the seed's three-PoP example end to end on this machine.
// API server + operator + webhook, `kubectl apply -f samples/`, three nodes
// with agents and the router (its embedded broker), the sample pods attached the way kubelet
// and Multus do, then what happened: pods, learned routes, a ping matrix.
import { waitFor } from '../lib/wait.js';
import { galacticExecutable } from '../test/support/datapath.js';
import { repoPath } from '../controllers/testing.js';
import { type AttachedPod, type Stack, attachPod, startStack } from './stack.js';
import { pingMatrix, podTable, routeTable } from './report.js';

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const progress = (line: string): void => console.log(`[${elapsed()}] ${line}`);

/** Addresses inside the prefixes routed behind SJC and AMS, put on those pods' loopbacks. */
const PREFIX_ADDRESSES: Record<string, string[]> = { sjc: ['192.168.1.1', '2001:1::1'], ams: ['192.168.2.1', '2001:2::1'] };

async function run(stack: Stack): Promise<boolean> {
  const { cluster, lab } = stack;
  progress('kubectl apply -f samples/ (VPC and three VPCAttachments)');
  await cluster.kubectl('apply', '-f', repoPath('samples'));
  await waitFor(
    async () => {
      const list = await cluster.getJson<{ items: Array<{ status?: { ready?: boolean } }> }>('vpcattachments', '-n', 'default');
      return list.items.length > 0 && list.items.every((a) => a.status?.ready);
    },
    { what: 'the attachments to become ready', timeoutMs: 60_000 },
  );
  progress('kubectl apply -f samples/pods/ (the webhook adds the Multus annotation)');
  await cluster.kubectl('apply', '-f', repoPath('samples', 'pods'));
  const pods: AttachedPod[] = [];
  for (const name of ['sjc', 'iad', 'ams']) {
    progress(`kubelet + Multus: CNI ADD for pod ${name}`);
    const pod = await attachPod(stack, name);
    for (const address of PREFIX_ADDRESSES[name] ?? []) {
      await lab.sh(`ip -n ${pod.netns} addr add ${address}/${address.includes(':') ? 128 : 32} dev lo`);
    }
    pods.push(pod);
  }
  progress('waiting for the routes to propagate (agent → router → agents)');
  const matrix = await pingMatrix(lab, pods, PREFIX_ADDRESSES, { untilAllSucceedMs: 90_000 });
  console.log(`\n${await podTable(lab, pods)}\n\n${await routeTable(lab)}\n\n${matrix.text}\n`);
  progress(matrix.failures === 0 ? 'every expected path works' : `${matrix.failures} expected path(s) failed`);
  return matrix.failures === 0;
}

console.log('Galactic demo: the seed\'s three-PoP VPC (SJC, IAD, AMS), dual-stack, with prefixes routed behind pods.');
console.log('It boots a kernel with VRF and SRv6 (under qemu when this kernel lacks them) and takes a few minutes.\n');
const verbose = process.argv.includes('--verbose');
let stack: Stack | undefined;
let ok = false;
try {
  stack = await startStack({ galactic: galacticExecutable(), progress, ...(verbose ? { log: (line: string) => console.log(`  | ${line}`) } : {}) });
  ok = await run(stack);
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
} finally {
  progress('cleaning up');
  await stack?.stop();
}
process.exitCode = ok ? 0 : 1;
