// The demo's chain as a test: samples applied to a real API server → the
// operator assigns identifiers and writes NADs → the webhook annotates pods →
// the lab plays kubelet and Multus (hack/stack.ts attachPod: a simulation; the
// real kubelet node is test/realnode.test.ts) and delegates to the CNI plugin →
// agents → router → packets flow. Then `galactic status`, deletions
// and a second, overlapping VPC: the control plane is what this tests.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';
import { repoPath } from '../controllers/testing.js';
import { type AttachedPod, type Stack, attachPod, detachPod } from '../hack/stack.js';
import { waitFor } from '../lib/wait.js';
import { AGENT_METRICS_PORT, ROUTER_METRICS_PORT } from '../hack/lab/lab.js';
import { REPO, expectReachable, galacticExecutable } from './support/datapath.js';
import { useStack } from './support/stack.js';

const attachment = (name: string, vpc: string, addresses: string[]) => ({
  apiVersion: 'galactic.datumapis.com/v1alpha',
  kind: 'VPCAttachment',
  metadata: { name, namespace: 'default' },
  spec: { vpc: { apiVersion: 'galactic.datumapis.com/v1alpha', kind: 'VPC', name: vpc, namespace: 'default' }, interface: { name: 'galactic0', addresses } },
});

const pod = (name: string, node: string, attachmentName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment': attachmentName } },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] },
});

describe('full stack: operator → NADs → CNI → agents → router → packets (the lab plays kubelet and Multus)', function () {
  this.timeout(20 * 60_000);
  let stack: Stack;
  const pods = new Map<string, AttachedPod>();

  const readyAttachments = async (count: number): Promise<void> => {
    await waitFor(
      async () => {
        const list = await stack.cluster.getJson<{ items: Array<{ status?: { ready?: boolean } }> }>('vpcattachments', '-n', 'default');
        return list.items.length === count && list.items.every((a) => a.status?.ready);
      },
      { what: `${count} ready attachments`, timeoutMs: 60_000 },
    );
  };

  const running = useStack();
  before(() => {
    stack = running.current();
  });

  it('applies the samples and connects the three PoPs', async () => {
    await stack.cluster.kubectl('apply', '-f', repoPath('samples'));
    await readyAttachments(3);
    await stack.cluster.kubectl('apply', '-f', repoPath('samples', 'pods'));
    for (const name of ['sjc', 'iad', 'ams']) pods.set(name, await attachPod(stack, name));
    const sjc = pods.get('sjc')!;
    expect(sjc.interfaces.map((i) => i.ifname)).to.deep.equal(['galactic0']);
    for (const [from, to] of [['sjc', '10.1.1.2'], ['iad', '10.1.1.3'], ['ams', '2001:10:1:1::1'], ['sjc', '2001:10:1:1::3']] as const) {
      await expectReachable(stack.lab, pods.get(from)!.netns, to);
    }
  });

  it('galactic status shows the cluster, every node\'s SIDs and routes, and no drift', async () => {
    const kube = execFileSync(process.execPath, ['bin/galactic.mjs', 'status', '--kubeconfig', stack.cluster.api.kubeconfigPath], { cwd: REPO, encoding: 'utf8' });
    expect(kube).to.match(/default\/vpcattachment-sjc\s.*sjc@sjc/);
    const agents = stack.lab.nodes.map((n) => `${n.name}=http://[${n.underlay}]:${AGENT_METRICS_PORT}`).join(',');
    const out = await stack.lab.host.exec([galacticExecutable(), 'status', '--router', `http://127.0.0.1:${ROUTER_METRICS_PORT}`, '--agents', agents]);
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    expect(out.stdout.match(/drift: none/g)).to.have.length(3);
    for (const node of stack.lab.nodes) expect(out.stdout).to.include(`Node ${node.name} (worker ${node.name}, srv6 ${node.srv6Net})`);
    expect(out.stdout).to.include('10.1.1.2/32');
  });

  it('deleting a pod and an attachment converges routes and kernel state', async () => {
    const iad = pods.get('iad')!;
    await detachPod(stack, iad);
    await stack.cluster.kubectl('delete', 'pod', 'iad', '-n', 'default', '--wait=false');
    pods.delete('iad');
    for (const node of ['sjc', 'ams']) {
      await waitFor(async () => !(await stack.lab.kernelState(node)).routes.some((r) => r.includes(' 10.1.1.2 ')), {
        what: `the route to 10.1.1.2 leaving ${node}`,
        timeoutMs: 60_000,
        intervalMs: 250,
      });
    }
    await stack.cluster.kubectl('delete', 'vpcattachment', 'vpcattachment-iad', '-n', 'default');
    await waitFor(
      async () => {
        const nads = await stack.cluster.getJson<{ items: Array<{ metadata: { name: string } }> }>('network-attachment-definitions.k8s.cni.cncf.io', '-n', 'default');
        return !nads.items.some((n) => n.metadata.name === 'vpcattachment-iad');
      },
      { what: 'the IAD NAD to be removed with its attachment', timeoutMs: 60_000 },
    );
    const iadState = await stack.lab.kernelState('iad');
    expect(iadState.links, 'IAD keeps no Galactic links').to.deep.equal([]);
    expect(iadState.nexthops, 'IAD keeps no nexthops').to.deep.equal([]);
    await expectReachable(stack.lab, pods.get('sjc')!.netns, '10.1.1.3');
  });

  it('a second VPC with overlapping addresses is isolated from the first', async () => {
    const second = [
      { apiVersion: 'galactic.datumapis.com/v1alpha', kind: 'VPC', metadata: { name: 'vpc-b', namespace: 'default' }, spec: { networks: ['10.1.1.0/24', '2001:10:1:1::/64'] } },
      attachment('b-sjc', 'vpc-b', ['10.1.1.1/24', '2001:10:1:1::1/64']),
      attachment('b-iad', 'vpc-b', ['10.1.1.3/24', '2001:10:1:1::3/64']),
    ];
    await stack.cluster.kubectlIn(second.map((o) => stringify(o)).join('---\n'), 'apply', '-f', '-');
    await readyAttachments(4);
    await stack.cluster.kubectlIn([pod('b-sjc', 'sjc', 'b-sjc'), pod('b-iad', 'iad', 'b-iad')].map((o) => stringify(o)).join('---\n'), 'apply', '-f', '-');
    const bSjc = await attachPod(stack, 'b-sjc');
    const bIad = await attachPod(stack, 'b-iad');
    await expectReachable(stack.lab, bSjc.netns, '10.1.1.3'); // VPC B's IAD pod, not VPC A's AMS pod
    await expectReachable(stack.lab, bIad.netns, '2001:10:1:1::1');
    const received = async (netns: string): Promise<number> => {
      const out = await stack.lab.sh(`ip -n ${netns} -j -s link show galactic0`);
      return (JSON.parse(out) as Array<{ stats64: { rx: { packets: number } } }>)[0]!.stats64.rx.packets;
    };
    const before = await received(bIad.netns);
    expect(await stack.lab.ping(bSjc.netns, '10.1.1.3')).to.equal(true);
    expect(await received(bIad.netns), "10.1.1.3 from VPC B's SJC pod is VPC B's IAD pod").to.be.above(before);
    for (const foreign of ['192.168.2.1', '2001:2::1']) {
      expect(await stack.lab.ping(bSjc.netns, foreign), `VPC B reaching VPC A's routed prefix at ${foreign}`).to.equal(false);
    }
  });
});
