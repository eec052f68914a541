// The whole system on one machine: a real API server with the operator and
// its webhook, and a lab of nodes (agents, router with its embedded broker) on a kernel with
// VRF and SRv6. Used by `make demo`, `make dev` and the full-stack test.
// kubelet + Multus are played by attachPod(): it reads the pod's Multus
// annotation and the NAD the operator wrote, and invokes the CNI plugin.
import type { OperatorHandle } from '../controllers/main.js';
import { type TestCluster, registerWebhooks, startTestCluster, startTestOperator, webhookCertFiles } from '../controllers/testing.js';
import { type KernelHost, startKernelHost } from './kernel/index.js';
import { Lab } from './lab/lab.js';
import { delegatedPluginConfigs, parseNetworksAnnotation, withSelection } from './lab/multus.js';

export const NODES = ['sjc', 'iad', 'ams'];
const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

export interface Stack {
  cluster: TestCluster;
  operator: OperatorHandle;
  host: KernelHost;
  lab: Lab;
  stop(): Promise<void>;
}

export interface StackOptions {
  galactic: string;
  /**
   * Kubelet nodes whose agent is the agent DaemonSet's pod: the lab starts no
   * agent there and leaves the host unprepared (the pod's --prepare-host does it).
   */
  daemonSetAgents?: string[];
  progress?: (line: string) => void;
  log?: (line: string) => void;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const progress = options.progress ?? (() => undefined);
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    progress('starting a local API server (kube-apiserver + etcd) and installing the CRDs');
    const cluster = await startTestCluster();
    stops.push(() => cluster.stop());
    progress('starting galactic operator with its pod webhook');
    const tls = await webhookCertFiles(cluster);
    const operator = await startTestOperator(cluster, { webhook: { host: '127.0.0.1', port: 0, ...tls } });
    stops.push(() => operator.stop());
    await registerWebhooks(cluster, operator.webhookPort!);
    progress('booting a kernel with VRF and SRv6 and building nodes SJC, IAD, AMS on an IPv6 underlay');
    const host = await startKernelHost(options.log ? { log: options.log } : {});
    stops.push(() => host.close());
    const unprepared = options.daemonSetAgents ?? [];
    const lab = await Lab.create({ host, nodes: NODES, galactic: [options.galactic], unprepared, ...(options.log ? { log: options.log } : {}) });
    stops.push(() => lab.teardown());
    const agents = NODES.filter((node) => !unprepared.includes(node));
    progress(`starting galactic router with its embedded broker, and galactic agents on ${agents.map((n) => n.toUpperCase()).join(', ')}`);
    await lab.startRouter({ embeddedBroker: true });
    await Promise.all(agents.map((node) => lab.startAgent(node)));
    return { cluster, operator, host, lab, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface KubePod {
  metadata: { name: string; namespace: string; uid: string; annotations?: Record<string, string> };
  spec: { nodeName?: string };
}

export interface AttachedPod {
  name: string;
  namespace: string;
  node: string;
  /** The pod's network namespace in the lab. */
  netns: string;
  /** Per network of the Multus annotation: the delegated plugin config and the CNI result. */
  interfaces: Array<{ network: string; ifname: string; config: Record<string, unknown>; result: unknown }>;
}

/** Per network of the pod's Multus annotation: its interface and delegated plugin configs, as Multus resolves them from the NAD. */
export async function podNetworks(stack: Stack, pod: KubePod): Promise<Array<{ network: string; ifname: string; config: Record<string, unknown> }>> {
  const { name, namespace } = pod.metadata;
  const networks = parseNetworksAnnotation(pod.metadata.annotations?.[NETWORKS_ANNOTATION] ?? '');
  if (networks.length === 0) throw new Error(`pod ${namespace}/${name} has no ${NETWORKS_ANNOTATION} annotation: is the operator's webhook running?`);
  const resolved: Array<{ network: string; ifname: string; config: Record<string, unknown> }> = [];
  for (const [i, network] of networks.entries()) {
    const nad = await stack.cluster.getJson<{ spec: { config: string } }>('network-attachment-definitions.k8s.cni.cncf.io', network.name, '-n', network.namespace ?? namespace);
    const ifname = network.interface ?? `net${i + 1}`;
    for (const config of delegatedPluginConfigs(nad.spec.config).map((plugin) => withSelection(plugin, network))) resolved.push({ network: network.name, ifname, config });
  }
  return resolved;
}

/** kubelet + Multus for one pod: a network namespace, then a CNI ADD per network in its Multus annotation. */
export async function attachPod(stack: Stack, name: string, namespace = 'default'): Promise<AttachedPod> {
  const pod = await stack.cluster.getJson<KubePod>('pod', name, '-n', namespace);
  const node = pod.spec.nodeName;
  if (!node || !NODES.includes(node)) throw new Error(`pod ${namespace}/${name} is not bound to a lab node (${NODES.join(', ')})`);
  const networks = await podNetworks(stack, pod);
  const netns = `pod-${name}`;
  await stack.lab.addPodNamespace(netns);
  const interfaces: AttachedPod['interfaces'] = [];
  for (const { network, ifname, config } of networks) {
    const out = await stack.lab.cni(node, { command: 'ADD', containerId: pod.metadata.uid, pod: netns, ifname, config });
    if (out.code !== 0) throw new Error(`CNI ADD for ${namespace}/${name} (${network}) on ${node} failed: ${JSON.stringify(out.result)} ${out.stderr}`);
    interfaces.push({ network, ifname, config, result: out.result });
  }
  return { name, namespace, node, netns, interfaces };
}

/** kubelet + Multus on pod deletion: CNI DEL per network, then the namespace goes. */
export async function detachPod(stack: Stack, attached: AttachedPod): Promise<void> {
  const pod = await stack.cluster.getJson<KubePod>('pod', attached.name, '-n', attached.namespace);
  // Multus runs DEL with the config it cached at ADD (per-pod ips and cni-args included).
  for (const { ifname, config } of attached.interfaces) {
    const out = await stack.lab.cni(attached.node, { command: 'DEL', containerId: pod.metadata.uid, pod: attached.netns, ifname, config });
    if (out.code !== 0) throw new Error(`CNI DEL for ${attached.namespace}/${attached.name} failed: ${JSON.stringify(out.result)} ${out.stderr}`);
  }
  await stack.lab.deletePodNamespace(attached.netns);
}
