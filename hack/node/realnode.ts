// The full stack with one real kubelet node, shared by `make demo` and
// test/realnode.test.ts: kube-controller-manager and kube-scheduler on the host
// beside the API server; in the qemu guest, lab node `node` runs containerd +
// kubelet with real Multus as its CNI network, the galactic image imported,
// and deploy/'s agent and CNI DaemonSets (through the overlay test/realnode)
// running there as pods. The other lab nodes keep lab-process agents and have
// no Node objects. Each step's handle is kept as soon as it exists, so stop()
// cleans up whatever a failed start() got to.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { type ControlPlane, startControlPlane } from '../envtest/controlplane.js';
import { type AttachedPod, type KubePod, type Stack, podNetworks, startStack } from '../stack.js';
import { repoPath } from '../../controllers/testing.js';
import { SRV6_NET_ANNOTATION } from '../../lib/kube-nodes.js';
import { waitFor } from '../../lib/wait.js';
import { vpcPod } from './images.js';
import { KubeletNode } from './node.js';

export const SYSTEM_NAMESPACE = 'galactic-system';
export const DAEMONSETS = ['galactic-agent', 'galactic-cni'];
/** The annotation Multus writes on each pod it attached. */
export const NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';

export interface PodJson {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: { nodeName?: string; containers?: Array<{ image: string }> };
  status: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ image: string; restartCount: number; containerID?: string }>;
  };
}

export const isReady = (p: PodJson): boolean => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export interface RealNodeOptions {
  galactic: string;
  /** The galactic image archive (make image), imported into the node's containerd. */
  imageArchive: string;
  node: string;
  /** Milestones with their timings. */
  progress?: (line: string) => void;
  log?: (line: string) => void;
}

export class RealNodeStack {
  stack?: Stack;
  control?: ControlPlane;
  node?: KubeletNode;

  constructor(private readonly options: RealNodeOptions) {}

  /** The stack, the control plane, the kubelet node Ready and the DaemonSet pods Ready with the plugin installed and the agent serving. */
  async start(): Promise<void> {
    const { galactic, imageArchive, node: name, log } = this.options;
    const progress = this.options.progress ?? (() => undefined);
    const logOption = log ? { log } : {};
    // the kubelet node needs the guest even where this machine's kernel has VRF
    const forced = process.env.GALACTIC_KERNEL_HOST;
    process.env.GALACTIC_KERNEL_HOST = 'qemu';
    try {
      // the node's agent is the DaemonSet's pod, which prepares the host itself
      this.stack = await startStack({ galactic, daemonSetAgents: [name], progress, ...logOption });
    } finally {
      if (forced === undefined) delete process.env.GALACTIC_KERNEL_HOST;
      else process.env.GALACTIC_KERNEL_HOST = forced;
    }
    const stack = this.stack;
    progress('starting kube-scheduler and kube-controller-manager (PodGC off: the lab nodes have no Node objects)');
    this.control = await startControlPlane(stack.cluster.api, { ...logOption, disabledControllers: ['pod-garbage-collector-controller'] });
    progress(`starting containerd and kubelet on ${name.toUpperCase()} with Multus as its CNI, importing the galactic image`);
    const started = Date.now();
    // no galactic plugin on the node: the CNI DaemonSet installs it
    this.node = await KubeletNode.start({ lab: stack.lab, node: name, apiProxyPort: this.control.proxyPort, images: [imageArchive], ...logOption });
    const node = this.node;
    await waitFor(async () => {
      const n = await stack.cluster.getJson<{ status: { conditions?: Array<{ type: string; status: string }> } }>('node', name).catch(() => undefined);
      return n?.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    }, { what: `node ${name} Ready`, timeoutMs: 5 * 60_000, intervalMs: 1000 });
    progress(`kubelet node ${name} Ready ${Math.round((Date.now() - started) / 1000)} s after containerd started`);
    // the lab's prefix for the node, as an administrator sets it (the stack's operator has no --srv6-pool)
    await stack.cluster.kubectl('annotate', 'node', name, `${SRV6_NET_ANNOTATION}=${stack.lab.node(name).srv6Net}`);
    const applied = Date.now();
    progress('kubectl apply -k test/realnode (deploy/\'s agent and CNI DaemonSets on the local image)');
    await stack.cluster.kubectl('apply', '-k', repoPath('test', 'realnode'));
    for (const daemonSet of DAEMONSETS) {
      await waitFor(async () => {
        const p = await this.daemonPod(daemonSet);
        return p !== undefined && isReady(p);
      }, { what: `the ${daemonSet} DaemonSet's pod Ready on ${name}`, timeoutMs: 5 * 60_000, intervalMs: 1000 });
    }
    await waitFor(async () => (await stack.host.sh(`test -x ${node.paths.cniBin}/galactic`)).code === 0, {
      what: `the CNI pod installing galactic into ${name}'s CNI bin dir`,
      timeoutMs: 3 * 60_000,
      intervalMs: 500,
    });
    await waitFor(async () => (await stack.host.sh(`test -S ${stack.lab.agentSocket(name)}`)).code === 0, {
      what: `the agent pod's socket in ${name}'s /run/galactic`,
      timeoutMs: 3 * 60_000,
      intervalMs: 500,
    });
    progress(`DaemonSet pods Ready and the agent serving ${((Date.now() - applied) / 1000).toFixed(1)} s after kubectl apply -k`);
  }

  /** The pod a DaemonSet runs on the kubelet node, once there is one. */
  async daemonPod(daemonSet: string): Promise<PodJson | undefined> {
    const list = await this.stack!.cluster.getJson<{ items: PodJson[] }>('pods', '-n', SYSTEM_NAMESPACE, '-l', `app.kubernetes.io/name=${daemonSet}`);
    return list.items.find((p) => p.spec.nodeName === this.options.node);
  }

  /** What the DaemonSet pods' containers wrote, for a failure's report. */
  async daemonLogs(): Promise<string> {
    const out: string[] = [];
    for (const daemonSet of DAEMONSETS) {
      const p = this.stack && (await this.daemonPod(daemonSet).catch(() => undefined));
      if (p && this.node) out.push(`--- ${daemonSet} (${p.metadata.name}) ${JSON.stringify(p.status.containerStatuses ?? [])}\n${await this.node.podLogs(p.metadata.name, SYSTEM_NAMESPACE)}`);
    }
    return out.join('\n');
  }

  /**
   * samples/pods/, with the kubelet node's pod replaced by the same workload
   * on the local image and left for the scheduler to place (no nodeName).
   */
  async applySamplePods(): Promise<void> {
    const { node } = this.options;
    const samples = parseAllDocuments(await readFile(repoPath('samples', 'pods', 'pods.yaml'), 'utf8')).map((d) => d.toJS() as { metadata: { name: string } });
    const pods = [...samples.filter((p) => p.metadata.name !== node), vpcPod(node, node, `vpcattachment-${node}`)];
    await this.stack!.cluster.kubectlIn(pods.map((o) => stringify(o)).join('---\n'), 'apply', '-f', '-');
  }

  /**
   * The kubelet pod's sandbox network namespace under a name in the guest
   * (`ip netns attach`), so lab tools (ip -n, ip netns exec) reach it as they
   * reach a lab pod's; forgetPodNamespace() removes only the name.
   */
  async namePodNamespace(name: string, namespace = 'default'): Promise<AttachedPod> {
    const stack = this.stack!;
    const netns = `pod-${name}`;
    await stack.lab.sh(`ip netns attach ${netns} ${await this.node!.sandboxPid(name, namespace)}`);
    const pod = await stack.cluster.getJson<KubePod>('pod', name, '-n', namespace);
    const interfaces = (await podNetworks(stack, pod)).map((n) => ({ ...n, result: undefined }));
    return { name, namespace, node: this.options.node, netns, interfaces };
  }

  async forgetPodNamespace(pod: AttachedPod): Promise<void> {
    await this.stack?.host.sh(`ip netns delete ${pod.netns}`);
  }

  /** Kubelet node, control plane, stack: whatever exists, in that order. */
  async stop(): Promise<void> {
    await this.node?.stop().catch(() => undefined);
    await this.control?.stop().catch(() => undefined);
    await this.stack?.stop();
  }
}
