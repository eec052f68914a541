// A real Kubernetes node in the full stack: kube-controller-manager and
// kube-scheduler on the host beside the API server; in the guest, lab node SJC
// runs containerd + kubelet, with the real Multus thin plugin as its CNI
// network. The galactic image (make image) is imported into its containerd,
// and deploy/'s agent and CNI DaemonSets (through the overlay test/realnode,
// which patches only what this environment forces) run there as pods: the
// installer puts our plugin into the node's CNI bin dir, the agent prepares
// the node and serves the plugin's gRPC socket. The sample SJC pod is placed
// by the scheduler and attached by Multus through the NAD the operator wrote.
// Simulated: IAD and AMS stay lab nodes (no Node objects) with lab-process
// agents, whose pods hack/stack.ts attaches itself (attachPod); the router
// with its embedded broker is a lab process on the underlay; SJC's srv6-net
// annotation is set by hand (the operator runs without --srv6-pool). The lab
// gives SJC only its uplink and routes to the other nodes' prefixes (they
// have no Node objects); the agent pod (--prepare-host) sets up the rest.
import { expect } from 'chai';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { type KubeletNode } from '../hack/node/node.js';
import { DAEMONSETS, NETWORK_STATUS, type KubeletStack, SYSTEM_NAMESPACE as SYSTEM } from '../hack/node/kubelet-stack.js';
import { type KernelSnapshot } from '../hack/lab/lab.js';
import { type AttachedPod, type Stack, attachPod } from '../hack/stack.js';
import { repoPath } from '../controllers/testing.js';
import { waitFor } from '../lib/wait.js';
import { expectReachable, galacticExecutable, galacticImage } from './support/datapath.js';
import { useKubeletStack } from './support/stack.js';

const REAL = 'sjc';

describe('real node: scheduler, kubelet, containerd, real Multus and the agent and CNI DaemonSets from the image on SJC, which the agent pod prepares (IAD/AMS simulated nodes with lab agents)', function () {
  this.timeout(20 * 60_000);
  let real: KubeletStack;
  let stack: Stack;
  let node: KubeletNode;
  let idle: KernelSnapshot;
  const lab = new Map<string, AttachedPod>();

  const pod = (name: string) => real.pod(name);
  const podReady = (name: string) => real.podReady(name);
  const daemonPod = (daemonSet: string) => real.daemonPod(daemonSet, REAL);
  /** One ping from inside the real pod's network namespace (its sandbox, as containerd runs it). */
  const pingFromRealPod = (destination: string) => real.pingFromPod({ name: REAL, node: REAL }, destination);

  before(async () => {
    const overlay = parse(await readFile(repoPath('test', 'realnode', 'kustomization.yaml'), 'utf8')) as { images: Array<{ newName: string; newTag: string }> };
    expect(overlay.images.map((i) => `${i.newName}:${i.newTag}`), 'test/realnode/kustomization.yaml images: the image make image writes').to.deep.equal([galacticImage().reference]);
  });
  const running = useKubeletStack(() => ({ kubeletNodes: [REAL], daemonSetImage: galacticImage().archive }));
  before(async () => {
    real = running.current();
    stack = real.stack;
    node = real.node(REAL);
    idle = await stack.lab.kernelState(REAL);
  });

  it('kubelet runs the agent and CNI DaemonSets from the galactic image, and the installer put the plugin into the node\'s CNI bin dir', async () => {
    const { reference } = galacticImage();
    const running = await node.kubeletPods();
    for (const daemonSet of DAEMONSETS) {
      const p = (await daemonPod(daemonSet))!;
      expect(running, `kubelet's own pod list`).to.include(`${SYSTEM}/${p.metadata.name}`);
      expect(p.status.containerStatuses?.map((c) => c.image), `${daemonSet}'s image`).to.deep.equal([`docker.io/library/${reference}`]);
      expect(p.status.containerStatuses?.map((c) => c.restartCount), `${daemonSet}'s container restarts`).to.deep.equal([0]);
    }
    // the lab left SJC unprepared: the agent pod made its SRv6 loopback and tunnel source
    const { loopback } = stack.lab.node(REAL);
    expect(await stack.lab.sh(`ip -n ${REAL} -6 addr show dev lo-galactic`)).to.include(`${loopback}/128`);
    expect(await stack.lab.sh(`ip -n ${REAL} sr tunsrc show`)).to.include(loopback);
    // a copy of the image's executable (install-cni), not a link to the host's build
    const installed = await stack.host.exec(['stat', '-c', '%F %s', `${node.paths.cniBin}/galactic`]);
    expect(installed.stdout.trim()).to.equal(`regular file ${statSync(galacticExecutable()).size}`);
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
    await real.applySamplePods();
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

  it('a kubelet restart changes nothing: same sandboxes and containers, same kernel state, still connected', async () => {
    const pidBefore = await node.sandboxPid(REAL);
    const daemonContainers = async () => Promise.all(DAEMONSETS.map(async (d) => (await daemonPod(d))?.status.containerStatuses?.map((c) => `${c.containerID} ${c.restartCount}`)));
    const daemonsBefore = await daemonContainers();
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
    expect(await daemonContainers(), 'the same DaemonSet containers, not restarted').to.deep.equal(daemonsBefore);
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
