// Pod-ready latency on a real kubelet node (hack/node: containerd, kubelet,
// Multus thin plugin → galactic, in the qemu guest), and the CNI's share: pods
// pods (5 by default) created one after another through the API with the SJC
// sample attachment, each timed from `kubectl create` to its Ready condition
// (polled every 250 ms), beside the time Multus (with both delegates) and our
// galactic plugin took for its ADD, measured by wrappers around them.
// Run by bench/cni.ts after the CNI's own latency (issue 10: the CNI's share of pod-ready).
import { stringify } from 'yaml';
import { vpcPod } from '../../hack/node/images.js';
import { KubeletStack } from '../../hack/node/kubelet-stack.js';
import { repoPath } from '../../controllers/testing.js';
import { waitFor } from '../../lib/wait.js';
import { galacticExecutable } from '../../test/support/datapath.js';

const NODE = 'sjc';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

/** Creates `pods` pods one after another on a kubelet node and prints create → Ready and the plugins' ADD times. */
export async function measurePodReady(pods: number): Promise<void> {
  const kube = new KubeletStack({ galactic: galacticExecutable(), kubeletNodes: [NODE], timedPlugins: ['multus', 'galactic'], progress: (line) => console.log(`# ${line}`) });
  try {
    await kube.start();
    const { cluster } = kube.stack;
    const node = kube.node(NODE);
    await cluster.kubectl('apply', '-f', repoPath('samples'));
    await cluster.kubectl('wait', '--for=jsonpath={.status.ready}=true', 'vpcattachment', 'vpcattachment-sjc', '-n', 'default', '--timeout=60s');

    const ready: number[] = [];
    for (let i = 1; i <= pods; i++) {
      const name = `ready-${i}`;
      const started = Date.now();
      await cluster.kubectlIn(stringify(vpcPod(name, NODE, 'vpcattachment-sjc')), 'create', '-f', '-');
      await waitFor(() => kube.podReady(name), { what: `pod ${name} Ready`, timeoutMs: 300_000, intervalMs: 250 });
      ready.push(Date.now() - started);
      await cluster.kubectl('delete', 'pod', name, '-n', 'default', '--wait=true', '--timeout=180s');
    }
    const adds = (await node.pluginTimings()).filter((t) => t.command === 'ADD' && t.pod.startsWith('ready-'));
    const multus = adds.filter((t) => t.plugin === 'multus').map((t) => t.ms);
    const ours = adds.filter((t) => t.plugin === 'galactic').map((t) => t.ms);
    if (process.env.VERBOSE) for (const t of await node.pluginTimings()) console.log(`# ${t.plugin} ${t.command} ${t.pod} ${t.ms.toFixed(1)} ms`);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`pods: ${pods}, one at a time, qemu/TCG guest`);
    console.log(`create → Ready         median ${s(median(ready))}  (min ${s(Math.min(...ready))}, max ${s(Math.max(...ready))})`);
    console.log(`Multus ADD (both nets) median ${s(median(multus))}  (${Math.round((100 * median(multus)) / median(ready))}% of pod-ready)`);
    console.log(`galactic ADD           median ${s(median(ours))}  (${Math.round((100 * median(ours)) / median(ready))}% of pod-ready)`);
  } finally {
    await kube.stop();
  }
}
