// The full stack of hack/stack.ts with real kubelet nodes, shared by `make
// demo`, test/realnode.test.ts and test/ipam-realnode.test.ts:
// kube-controller-manager and kube-scheduler on the host beside the API
// server; in the qemu guest, the named lab nodes run containerd + kubelet with
// real Multus as their CNI network (hack/node). Their agents and plugin are
// either lab processes and the host's build, or deploy/'s agent and CNI
// DaemonSets (through the overlay test/realnode) on the galactic image
// imported into their containerd. The other lab nodes keep lab-process agents
// and have no Node objects. Each step's handle is kept as soon as it exists,
// so stop() cleans up whatever a failed start() got to.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { type ControlPlane, startControlPlane } from '../envtest/controlplane.js';
import type { KernelHost } from '../kernel/index.js';
import { type AttachedPod, type KubePod, NODES, type Stack, podNetworks, startStack } from '../stack.js';
import { repoPath } from '../../controllers/testing.js';
import { SRV6_NET_ANNOTATION } from '../../lib/kube-nodes.js';
import { waitFor } from '../../lib/wait.js';
import { vpcPod } from './images.js';
import { KubeletNode } from './node.js';

export const SYSTEM_NAMESPACE = 'galactic-system';
export const DAEMONSETS = ['galactic-agent', 'galactic-cni'];
/** The annotation Multus writes on each pod it attached. */
export const NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';

interface Conditions {
  status: { conditions?: Array<{ type: string; status: string }> };
}

export interface PodJson {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  spec: { nodeName?: string; containers?: Array<{ image: string }> };
  status: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ image: string; restartCount: number; containerID?: string }>;
  };
}

/** A pod or a Node whose Ready condition is True. */
export const isReady = (object: Conditions): boolean => object.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export interface KubeletStackOptions {
  galactic: string;
  /** Lab nodes that become kubelet nodes; the others stay lab nodes without Node objects. */
  kubeletNodes: string[];
  /**
   * The galactic image archive (make image): imported into every kubelet
   * node's containerd, whose agent and CNI plugin then come from deploy/'s
   * DaemonSets. The DaemonSets run on every Node, so it is all kubelet nodes
   * or none. Omitted: lab-process agents and the host's galactic as plugin.
   */
  daemonSetImage?: string;
  /** CNI plugins to time on every kubelet node (KubeletNode.pluginTimings()). */
  timedPlugins?: string[];
  /** Milestones with their timings. */
  progress?: (line: string) => void;
  log?: (line: string) => void;
}

export class KubeletStack {
  private started?: Stack;
  private control?: ControlPlane;
  readonly nodes = new Map<string, KubeletNode>();

  constructor(private readonly options: KubeletStackOptions) {
    const strangers = options.kubeletNodes.filter((name) => !NODES.includes(name));
    if (strangers.length > 0) throw new Error(`kubeletNodes: ${strangers.join(', ')} not lab nodes (${NODES.join(', ')})`);
  }

  /** The stack of hack/stack.ts, once start() has made it. */
  get stack(): Stack {
    if (!this.started) throw new Error('the kubelet stack has not started');
    return this.started;
  }

  private progress(line: string): void {
    this.options.progress?.(line);
  }

  /** The stack, the control plane, every kubelet node Ready and, with daemonSetImage, the DaemonSet pods Ready with the plugin installed and the agent serving. */
  async start(): Promise<void> {
    const { galactic, kubeletNodes, daemonSetImage, log } = this.options;
    const logOption = log ? { log } : {};
    const daemonSetAgents = daemonSetImage ? kubeletNodes : [];
    // the kubelet nodes need the guest even where this machine's kernel has VRF
    const forced = process.env.GALACTIC_KERNEL_HOST;
    process.env.GALACTIC_KERNEL_HOST = 'qemu';
    try {
      // a DaemonSet's agent pod prepares its host itself
      this.started = await startStack({ galactic, daemonSetAgents, progress: (line) => this.progress(line), ...logOption });
    } finally {
      if (forced === undefined) delete process.env.GALACTIC_KERNEL_HOST;
      else process.env.GALACTIC_KERNEL_HOST = forced;
    }
    const stack = this.stack;
    // PodGC deletes pods bound to nodes without Node objects: the lab nodes' pods
    const labNodes = NODES.filter((name) => !kubeletNodes.includes(name));
    const disabledControllers = labNodes.length > 0 ? ['pod-garbage-collector-controller'] : [];
    this.progress(`starting kube-scheduler and kube-controller-manager${labNodes.length > 0 ? ' (PodGC off: the lab nodes have no Node objects)' : ''}`);
    this.control = await startControlPlane(stack.cluster.api, { ...logOption, disabledControllers });
    const cpuBefore = await guestCpu(stack.host);
    const started = Date.now();
    // one after the other: started together, only the first kubelet registered (the others
    // stopped logging after their container manager started; cause not found)
    for (const name of kubeletNodes) {
      this.progress(`starting containerd and kubelet on ${name.toUpperCase()} with Multus as its CNI${daemonSetImage ? ', importing the galactic image' : ''}`);
      const nodeStarted = Date.now();
      // with the DaemonSets no galactic plugin on the node: the CNI DaemonSet installs it
      const plugin = daemonSetImage ? { images: [daemonSetImage] } : { galactic };
      const timed = this.options.timedPlugins ? { timedPlugins: this.options.timedPlugins } : {};
      this.nodes.set(name, await KubeletNode.start({ lab: stack.lab, node: name, apiProxyPort: this.control.proxyPort, ...plugin, ...timed, ...logOption }));
      await waitFor(async () => isReady(await stack.cluster.getJson<Conditions>('node', name).catch(() => ({ status: {} }))), {
        what: `node ${name} Ready`,
        timeoutMs: 5 * 60_000,
        intervalMs: 1000,
      });
      this.progress(`kubelet node ${name} Ready ${Math.round((Date.now() - nodeStarted) / 1000)} s after containerd started`);
    }
    const cpu = await guestCpu(stack.host);
    const busy = 1 - (cpu.idle - cpuBefore.idle) / (cpu.total - cpuBefore.total);
    this.progress(`${kubeletNodes.length} kubelet node(s) Ready ${Math.round((Date.now() - started) / 1000)} s after the first started; guest CPU busy ${Math.round(busy * 100)}% meanwhile; ${await guestMemory(stack.host)}`);
    if (daemonSetImage) await this.startDaemonSets();
  }

  private async startDaemonSets(): Promise<void> {
    const stack = this.stack;
    for (const name of this.nodes.keys()) {
      // the lab's prefix for the node, as an administrator sets it (the stack's operator has no --srv6-pool)
      await stack.cluster.kubectl('annotate', 'node', name, `${SRV6_NET_ANNOTATION}=${stack.lab.node(name).srv6Net}`);
    }
    const applied = Date.now();
    this.progress('kubectl apply -k test/realnode (deploy/\'s agent and CNI DaemonSets on the local image)');
    await stack.cluster.kubectl('apply', '-k', repoPath('test', 'realnode'));
    for (const [name, node] of this.nodes) {
      for (const daemonSet of DAEMONSETS) {
        await waitFor(async () => {
          const p = await this.daemonPod(daemonSet, name);
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
    }
    this.progress(`DaemonSet pods Ready and the agents serving ${((Date.now() - applied) / 1000).toFixed(1)} s after kubectl apply -k`);
  }

  /** The kubelet node of that name. */
  node(name: string): KubeletNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`${name} is not a kubelet node of this stack (${[...this.nodes.keys()].join(', ')})`);
    return node;
  }

  async pod(name: string, namespace = 'default'): Promise<PodJson> {
    return this.stack.cluster.getJson<PodJson>('pod', name, '-n', namespace);
  }

  async podReady(name: string, namespace = 'default'): Promise<boolean> {
    return isReady(await this.pod(name, namespace));
  }

  /** One ping from inside a pod's sandbox network namespace (as containerd runs it) on its kubelet node. */
  async pingFromPod(pod: { name: string; node: string }, destination: string): Promise<boolean> {
    const pid = await this.node(pod.node).sandboxPid(pod.name);
    return (await this.stack.host.exec(['nsenter', '-t', String(pid), '-n', 'ping', '-c1', '-W2', destination])).code === 0;
  }

  /** The pod a DaemonSet runs on a kubelet node, once there is one. */
  async daemonPod(daemonSet: string, node: string): Promise<PodJson | undefined> {
    const list = await this.stack.cluster.getJson<{ items: PodJson[] }>('pods', '-n', SYSTEM_NAMESPACE, '-l', `app.kubernetes.io/name=${daemonSet}`);
    return list.items.find((p) => p.spec.nodeName === node);
  }

  /** What the DaemonSet pods' containers wrote, for a failure's report. */
  async daemonLogs(): Promise<string> {
    if (!this.options.daemonSetImage) return '';
    const out: string[] = [];
    for (const [name, node] of this.nodes) {
      for (const daemonSet of DAEMONSETS) {
        const p = this.started && (await this.daemonPod(daemonSet, name).catch(() => undefined));
        if (p) out.push(`--- ${daemonSet} (${p.metadata.name}) ${JSON.stringify(p.status.containerStatuses ?? [])}\n${await node.podLogs(p.metadata.name, SYSTEM_NAMESPACE)}`);
      }
    }
    return out.join('\n');
  }

  /**
   * samples/pods/, with each kubelet node's pod replaced by the same workload
   * on the local image and left for the scheduler to place (no nodeName).
   */
  async applySamplePods(): Promise<void> {
    const samples = parseAllDocuments(await readFile(repoPath('samples', 'pods', 'pods.yaml'), 'utf8')).map((d) => d.toJS() as { metadata: { name: string } });
    const real = [...this.nodes.keys()];
    const pods = [...samples.filter((p) => !real.includes(p.metadata.name)), ...real.map((node) => vpcPod(node, node, `vpcattachment-${node}`))];
    await this.stack.cluster.kubectlIn(pods.map((o) => stringify(o)).join('---\n'), 'apply', '-f', '-');
  }

  /**
   * A kubelet pod's sandbox network namespace under a name in the guest
   * (`ip netns attach`), so lab tools (ip -n, ip netns exec) reach it as they
   * reach a lab pod's; forgetPodNamespace() removes only the name.
   */
  async namePodNamespace(name: string, namespace = 'default'): Promise<AttachedPod> {
    const stack = this.stack;
    const pod = await stack.cluster.getJson<KubePod>('pod', name, '-n', namespace);
    const node = pod.spec.nodeName ?? '';
    const netns = `pod-${name}`;
    await stack.lab.sh(`ip netns attach ${netns} ${await this.node(node).sandboxPid(name, namespace)}`);
    const interfaces = (await podNetworks(stack, pod)).map((n) => ({ ...n, result: undefined }));
    return { name, namespace, node, netns, interfaces };
  }

  async forgetPodNamespace(pod: AttachedPod): Promise<void> {
    await this.stack.host.sh(`ip netns delete ${pod.netns}`);
  }

  /** Kubelet nodes, control plane, stack: whatever exists, in that order. */
  async stop(): Promise<void> {
    if (this.started) this.progress(`at the end: ${await guestMemory(this.started.host).catch((error: Error) => error.message)}`);
    await Promise.all([...this.nodes.values()].map((node) => node.stop().catch(() => undefined)));
    await this.control?.stop().catch(() => undefined);
    await this.started?.stop();
  }
}

async function guestCpu(host: KernelHost): Promise<{ idle: number; total: number }> {
  const line = (await host.exec(['head', '-n1', '/proc/stat'])).stdout;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  return { idle: (ticks[3] ?? 0) + (ticks[4] ?? 0), total: ticks.reduce((sum, t) => sum + t, 0) };
}

async function guestMemory(host: KernelHost): Promise<string> {
  const meminfo = (await host.exec(['cat', '/proc/meminfo'])).stdout;
  const mb = (field: string) => Math.round(Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 0) / 1024);
  return `guest memory ${mb('MemTotal') - mb('MemAvailable')} MB used of ${mb('MemTotal')} MB (shmem/tmpfs ${mb('Shmem')} MB)`;
}
