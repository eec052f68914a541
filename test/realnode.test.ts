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
import { parse, parseAllDocuments, stringify } from 'yaml';
import { type ControlPlane, startControlPlane } from '../hack/envtest/controlplane.js';
import { vpcPod } from '../hack/node/images.js';
import { KubeletNode } from '../hack/node/node.js';
import { type KernelSnapshot } from '../hack/lab/lab.js';
import { type AttachedPod, type Stack, attachPod, startStack } from '../hack/stack.js';
import { repoPath } from '../controllers/testing.js';
import { waitFor } from '../lib/wait.js';
import { SRV6_NET_ANNOTATION } from '../lib/kube-nodes.js';
import { expectReachable, galacticExecutable, galacticImage } from './support/datapath.js';

const REAL = 'sjc';
const NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';
const SYSTEM = 'galactic-system';
const DAEMONSETS = ['galactic-agent', 'galactic-cni'];

interface PodJson {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { nodeName?: string };
  status: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ image: string; restartCount: number; containerID?: string }>;
  };
}

/** The sample SJC workload, left for the scheduler to place (no nodeName), on the local image. */
const realPod = vpcPod(REAL, REAL, 'vpcattachment-sjc');

describe('real node: scheduler, kubelet, containerd, real Multus and the agent and CNI DaemonSets from the image on SJC, which the agent pod prepares (IAD/AMS simulated nodes with lab agents)', function () {
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
  const isReady = (p: PodJson) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const podReady = async (name: string) => isReady(await pod(name));
  /** The pod a DaemonSet runs on the kubelet node, once there is one. */
  const daemonPod = async (daemonSet: string): Promise<PodJson | undefined> => {
    const list = await stack.cluster.getJson<{ items: PodJson[] }>('pods', '-n', SYSTEM, '-l', `app.kubernetes.io/name=${daemonSet}`);
    return list.items.find((p) => p.spec.nodeName === REAL);
  };
  /** What the DaemonSet pods' containers wrote, for a failure's report. */
  const printDaemonLogs = async () => {
    for (const daemonSet of DAEMONSETS) {
      const p = await daemonPod(daemonSet).catch(() => undefined);
      if (p && node) console.log(`--- ${daemonSet} (${p.metadata.name}) ${JSON.stringify(p.status.containerStatuses ?? [])}\n${await node.podLogs(p.metadata.name, SYSTEM)}`);
    }
  };
  /** One ping from inside the real pod's network namespace (its sandbox, as containerd runs it). */
  const pingFromRealPod = async (destination: string) => {
    const pid = await node.sandboxPid(REAL);
    return (await stack.host.exec(['nsenter', '-t', String(pid), '-n', 'ping', '-c1', '-W2', destination])).code === 0;
  };

  before(async function () {
    this.timeout(30 * 60_000);
    try {
      const galactic = galacticExecutable();
      const image = galacticImage();
      const overlay = parse(await readFile(repoPath('test', 'realnode', 'kustomization.yaml'), 'utf8')) as { images: Array<{ newName: string; newTag: string }> };
      expect(overlay.images.map((i) => `${i.newName}:${i.newTag}`), 'test/realnode/kustomization.yaml images: the image make image writes').to.deep.equal([image.reference]);
      // the kubelet node needs the guest even where this machine's kernel has VRF
      const forced = process.env.GALACTIC_KERNEL_HOST;
      process.env.GALACTIC_KERNEL_HOST = 'qemu';
      try {
        // SJC's agent is the DaemonSet's pod, which prepares the host itself
        stack = await startStack({ galactic, daemonSetAgents: [REAL], log: (line) => log.push(line) });
      } finally {
        if (forced === undefined) delete process.env.GALACTIC_KERNEL_HOST;
        else process.env.GALACTIC_KERNEL_HOST = forced;
      }
      // The lab nodes IAD/AMS have no Node objects: PodGC would delete their pods as orphans.
      control = await startControlPlane(stack.cluster.api, { log: (line) => log.push(line), disabledControllers: ['pod-garbage-collector-controller'] });
      const started = Date.now();
      // no galactic plugin on the node: the CNI DaemonSet installs it
      node = await KubeletNode.start({ lab: stack.lab, node: REAL, apiProxyPort: control.proxyPort, images: [image.archive], log: (line) => log.push(line) });
      await waitFor(nodeReady, { what: `node ${REAL} Ready`, timeoutMs: 5 * 60_000, intervalMs: 1000 });
      const imported = log.find((line) => line.includes(`imported ${image.archive}`))?.replace(/^.*imported /, 'imported ') ?? '';
      console.log(`      kubelet node ${REAL} Ready ${Math.round((Date.now() - started) / 1000)} s after containerd started (${imported})`);
      // the lab's prefix for SJC, as an administrator sets it (the stack's operator has no --srv6-pool)
      await stack.cluster.kubectl('annotate', 'node', REAL, `${SRV6_NET_ANNOTATION}=${stack.lab.node(REAL).srv6Net}`);
      const applied = Date.now();
      await stack.cluster.kubectl('apply', '-k', repoPath('test', 'realnode'));
      for (const daemonSet of DAEMONSETS) {
        await waitFor(async () => {
          const p = await daemonPod(daemonSet);
          return p !== undefined && isReady(p);
        }, { what: `the ${daemonSet} DaemonSet's pod Ready on ${REAL}`, timeoutMs: 5 * 60_000, intervalMs: 1000 });
      }
      await waitFor(async () => (await stack.host.sh(`test -x ${node.paths.cniBin}/galactic`)).code === 0, {
        what: `the CNI pod installing galactic into ${REAL}'s CNI bin dir`,
        timeoutMs: 3 * 60_000,
        intervalMs: 500,
      });
      await waitFor(async () => (await stack.host.sh(`test -S ${stack.lab.agentSocket(REAL)}`)).code === 0, {
        what: `the agent pod's socket in ${REAL}'s /run/galactic`,
        timeoutMs: 3 * 60_000,
        intervalMs: 500,
      });
      console.log(`      DaemonSet pods Ready and the agent serving ${((Date.now() - applied) / 1000).toFixed(1)} s after kubectl apply -k`);
      idle = await stack.lab.kernelState(REAL);
    } catch (error) {
      console.log(log.slice(-120).join('\n'));
      await printDaemonLogs();
      throw error;
    }
  });

  after(async () => {
    await node?.stop();
    await control?.stop();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    console.log(log.slice(-120).join('\n'));
    await printDaemonLogs();
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
