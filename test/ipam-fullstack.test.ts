// Pool attachments end to end on the lab (issue 9): six pods of one template
// attachment, two per node, get their addresses and endpoint identifiers from
// the operator's webhook; the lab plays kubelet and Multus (hack/stack.ts
// attachPod: a CNI ADD per network with the pod's `ips` and `cni-args`, as
// Multus passes them), so this is a simulation of the node, not a real
// kubelet. Every pod reaches every other in both families; removing four
// removes their routes on every node, and the two left still reach each other.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { repoPath } from '../controllers/testing.js';
import { type AttachedPod, type Stack, attachPod, detachPod } from '../hack/stack.js';
import { parseNetworksAnnotation } from '../hack/lab/multus.js';
import { waitFor } from '../lib/wait.js';
import { expectReachable } from './support/datapath.js';
import { useStack } from './support/stack.js';

const NODES = ['sjc', 'iad', 'ams'];

const pod = (name: string, node: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment': 'web' } },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] },
});

describe('full stack, pool attachment: six replicas across the nodes (lab plays kubelet and Multus)', function () {
  this.timeout(20 * 60_000);
  const running = useStack();
  let stack: Stack;
  const attached = new Map<string, AttachedPod & { addresses: string[] }>();
  before(() => {
    stack = running.current();
  });

  it('gives each replica its own addresses, and every replica reaches every other in both families', async () => {
    await stack.cluster.kubectl('apply', '-f', repoPath('samples', 'vpc.yaml'), '-f', repoPath('samples', 'ipam', 'attachment.yaml'));
    await waitFor(async () => (await stack.cluster.getJson<{ status?: { ready?: boolean } }>('vpcattachment', 'web', '-n', 'default')).status?.ready, {
      what: 'the web attachment to become ready',
      timeoutMs: 60_000,
    });
    const names = Array.from({ length: 6 }, (_, i) => `web-${i}`);
    await stack.cluster.kubectlIn(names.map((name, i) => stringify(pod(name, NODES[i % 3]!))).join('---\n'), 'apply', '-f', '-');
    for (const name of names) {
      const stored = await stack.cluster.getJson<{ metadata: { annotations: Record<string, string> } }>('pod', name, '-n', 'default');
      const [selection] = parseNetworksAnnotation(stored.metadata.annotations['k8s.v1.cni.cncf.io/networks']!);
      attached.set(name, { ...(await attachPod(stack, name)), addresses: selection!.ips!.map((ip) => ip.split('/')[0]!) });
    }
    const all = [...attached.values()];
    expect(new Set(all.flatMap((p) => p.addresses)).size).to.equal(12);
    for (const from of all) {
      for (const to of all) {
        if (from !== to) for (const address of to.addresses) await expectReachable(stack.lab, from.netns, address);
      }
    }
  });

  it('removing four replicas removes their routes on every node; the two left still reach each other', async () => {
    const removed = ['web-2', 'web-3', 'web-4', 'web-5'].map((name) => attached.get(name)!);
    for (const replica of removed) {
      await detachPod(stack, replica);
      await stack.cluster.kubectl('delete', 'pod', replica.name, '-n', 'default', '--wait=false');
    }
    const gone = removed.flatMap((p) => p.addresses);
    for (const node of NODES) {
      await waitFor(async () => !(await stack.lab.kernelState(node)).routes.some((route) => gone.some((address) => route.includes(` ${address} `))), {
        what: `the routes to the removed replicas leaving ${node}`,
        timeoutMs: 60_000,
        intervalMs: 250,
      });
    }
    const [first, second] = [attached.get('web-0')!, attached.get('web-1')!];
    for (const address of second.addresses) await expectReachable(stack.lab, first.netns, address);
    for (const address of first.addresses) await expectReachable(stack.lab, second.netns, address);
  });
});
