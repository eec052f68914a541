// A real Kubernetes node in the full stack: kube-controller-manager and
// kube-scheduler on the host beside the API server; in the guest, lab node SJC
// runs containerd + kubelet, with the real Multus thin plugin as its CNI
// network delegating to our galactic plugin through the NAD the operator
// wrote. The agents (all nodes) still run as lab processes, not as DaemonSets
// from the image, and IAD/AMS stay lab nodes whose pods are attached by the
// simulation in hack/stack.ts (attachPod).
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { type ControlPlane, startControlPlane } from '../hack/envtest/controlplane.js';
import { vpcPod } from '../hack/node/images.js';
import { KubeletNode } from '../hack/node/node.js';
import { type KernelSnapshot } from '../hack/lab/lab.js';
import { type AttachedPod, type Stack, attachPod, startStack } from '../hack/stack.js';
import { repoPath } from '../controllers/testing.js';
import { waitFor } from '../lib/wait.js';
import { expectReachable, galacticExecutable } from './support/datapath.js';

const REAL = 'sjc';
const NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';

interface PodJson {
  metadata: { annotations?: Record<string, string> };
  spec: { nodeName?: string };
  status: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}

/** The sample SJC workload, left for the scheduler to place (no nodeName), on the local image. */
const realPod = vpcPod(REAL, REAL, 'vpcattachment-sjc');

describe('real node: scheduler, kubelet, containerd and real Multus on SJC (agents as lab processes; IAD/AMS simulated nodes)', function () {
  this.timeout(20 * 60_000);
  let stack: Stack;
  let control: ControlPlane;
  let node: KubeletNode;
  let idle: KernelSnapshot;
  const lab = new Map<string, AttachedPod>();
  const log: string[] = [];

  const pod = (name: string) => stack.cluster.getJson<PodJson>('pod', name, '-n', 'default');
  const nodeReady = async () => {
    const n = await stack.cluster.getJson<{ status: { conditions?: Array<{ type: string; status: string }> } }>('node', REAL).catch(() => undefined);
    return n?.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  };
  const podReady = async (name: string) => (await pod(name)).status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  /** One ping from inside the real pod's network namespace (its sandbox, as containerd runs it). */
  const pingFromRealPod = async (destination: string) => {
    const pid = await node.sandboxPid(REAL);
    return (await stack.host.exec(['nsenter', '-t', String(pid), '-n', 'ping', '-c1', '-W2', destination])).code === 0;
  };

  before(async function () {
    this.timeout(30 * 60_000);
    try {
      const galactic = galacticExecutable();
      // the kubelet node needs the guest even where this machine's kernel has VRF
      const forced = process.env.GALACTIC_KERNEL_HOST;
      process.env.GALACTIC_KERNEL_HOST = 'qemu';
      try {
        stack = await startStack({ galactic, log: (line) => log.push(line) });
      } finally {
        if (forced === undefined) delete process.env.GALACTIC_KERNEL_HOST;
        else process.env.GALACTIC_KERNEL_HOST = forced;
      }
      // The lab nodes IAD/AMS have no Node objects: PodGC would delete their pods as orphans.
      control = await startControlPlane(stack.cluster.api, { log: (line) => log.push(line), disabledControllers: ['pod-garbage-collector-controller'] });
      idle = await stack.lab.kernelState(REAL);
      const started = Date.now();
      node = await KubeletNode.start({ lab: stack.lab, node: REAL, apiProxyPort: control.proxyPort, galactic, log: (line) => log.push(line) });
      await waitFor(nodeReady, { what: `node ${REAL} Ready`, timeoutMs: 5 * 60_000, intervalMs: 1000 });
      console.log(`      kubelet node ${REAL} Ready ${Math.round((Date.now() - started) / 1000)} s after containerd started`);
    } catch (error) {
      console.log(log.slice(-120).join('\n'));
      throw error;
    }
  });

  after(async () => {
    await node?.stop();
    await control?.stop();
    await stack?.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(log.slice(-120).join('\n'));
  });

  it('the scheduler places the SJC pod on the kubelet node, Multus attaches the NAD through galactic, and it reaches IAD and AMS in both families', async () => {
    await stack.cluster.kubectl('apply', '-f', repoPath('samples'));
    await waitFor(
      async () => {
        const list = await stack.cluster.getJson<{ items: Array<{ status?: { ready?: boolean } }> }>('vpcattachments', '-n', 'default');
        return list.items.length === 3 && list.items.every((a) => a.status?.ready);
      },
      { what: '3 ready attachments', timeoutMs: 60_000 },
    );
    const samplePods = parseAllDocuments(await readFile(repoPath('samples', 'pods', 'pods.yaml'), 'utf8')).map((d) => d.toJS() as { metadata: { name: string } });
    const simulated = samplePods.filter((p) => p.metadata.name !== REAL);
    await stack.cluster.kubectlIn([...simulated, realPod].map((o) => stringify(o)).join('---\n'), 'apply', '-f', '-');
    for (const name of ['iad', 'ams']) lab.set(name, await attachPod(stack, name));

    const started = Date.now();
    await waitFor(() => podReady(REAL), { what: `pod ${REAL} Ready`, timeoutMs: 3 * 60_000, intervalMs: 500 });
    console.log(`      pod ${REAL} Ready ${((Date.now() - started) / 1000).toFixed(1)} s after creation`);
    const scheduled = await pod(REAL);
    expect(scheduled.spec.nodeName, 'bound by kube-scheduler').to.equal(REAL);
    const status = JSON.parse(scheduled.metadata.annotations?.[NETWORK_STATUS] ?? '[]') as Array<{ name: string; interface?: string; ips?: string[] }>;
    expect(status.find((s) => s.interface === 'galactic0'), `Multus network-status: ${JSON.stringify(status)}`).to.deep.include({
      name: 'default/vpcattachment-sjc',
      ips: ['10.1.1.1', '2001:10:1:1::1'],
    });

    for (const destination of ['10.1.1.2', '2001:10:1:1::3']) {
      await waitFor(() => pingFromRealPod(destination), { what: `${REAL} reaching ${destination}`, timeoutMs: 60_000, intervalMs: 500 });
    }
    await expectReachable(stack.lab, lab.get('iad')!.netns, '10.1.1.1');
    await expectReachable(stack.lab, lab.get('ams')!.netns, '2001:10:1:1::1');
  });

  it('a kubelet restart changes nothing: same sandbox, same kernel state, still connected', async () => {
    const pidBefore = await node.sandboxPid(REAL);
    const before = await stack.lab.kernelState(REAL);
    const renewTime = async () => (await stack.cluster.getJson<{ spec: { renewTime?: string } }>('lease', REAL, '-n', 'kube-node-lease')).spec.renewTime;
    await node.stopKubelet();
    const renewedByOldKubelet = await renewTime();
    await node.startKubelet();
    // Node Ready stays True for a grace period: wait for the new kubelet's own signs of life
    // (a renewal the stopped one cannot have made; times are the guest's clock, not ours)
    await waitFor(
      async () => (await renewTime()) !== renewedByOldKubelet,
      { what: `the restarted kubelet renewing its lease`, timeoutMs: 3 * 60_000, intervalMs: 1000 },
    );
    await waitFor(async () => (await node.kubeletPods()).includes(`default/${REAL}`), {
      what: `the restarted kubelet running pod ${REAL}`,
      timeoutMs: 3 * 60_000,
      intervalMs: 1000,
    });
    expect(await podReady(REAL)).to.equal(true);
    expect(await node.sandboxPid(REAL), 'the same sandbox').to.equal(pidBefore);
    expect(await stack.lab.kernelState(REAL)).to.deep.equal(before);
    expect(await pingFromRealPod('10.1.1.2')).to.equal(true);
  });

  it('deleting the pod through the API removes every kernel object it made on SJC', async () => {
    await stack.cluster.kubectl('delete', 'pod', REAL, '-n', 'default', '--wait=true', '--timeout=180s');
    await waitFor(async () => JSON.stringify(await stack.lab.kernelState(REAL)) === JSON.stringify(idle), {
      what: `${REAL}'s kernel state back to before the pod`,
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    await waitFor(async () => !(await stack.lab.ping(lab.get('iad')!.netns, '10.1.1.1')), { what: 'IAD no longer reaching 10.1.1.1', timeoutMs: 60_000 });
  });
});
