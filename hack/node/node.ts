// A real Kubernetes node inside a lab node: containerd + kubelet run in the lab
// node's network namespace (its underlay address is the node IP), Multus thin
// plugin is the CNI network, and NADs delegate to our galactic plugin, which
// talks to the agent of that node: either installed by the CNI DaemonSet and
// run by the agent DaemonSet from the imported galactic image (deploy/), or a
// symlink to the executable beside a lab agent process. The guest has no NIC:
// kubelet and Multus reach the API through a plain-HTTP relay on the lab's
// underlay bridge (forwardToHost to the host's `kubectl proxy`).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeBinary } from '../envtest/binaries.js';
import type { KernelHost, PortForward, Process } from '../kernel/index.js';
import type { Lab } from '../lab/lab.js';
import { CONTROL_PLANE_ADDRESS } from '../lab/topology.js';
import { waitFor } from '../../lib/wait.js';
import { type NodePaths, containerdConfig, kubeletConfig, multusConfig, nodePaths, proxyKubeconfig } from './config.js';
import { NODE_IMAGE, nodeImageArchive } from './images.js';

/** Where kubelet and Multus find the API in the guest (relay on the underlay bridge). */
export const GUEST_API_PORT = 8001;
const CNI_PLUGINS = ['bridge', 'host-local', 'loopback', 'host-device', 'static'];
const STANDARD_CNI_BIN = '/opt/cni/bin';
const STANDARD_CNI_CONF = '/etc/cni/net.d';

/**
 * The API relay is one listener on the underlay bridge, which every node of the
 * guest reaches: the first node opens it, the last one to stop closes it.
 */
const apiRelays = new Map<KernelHost, { forward: Promise<PortForward>; users: number }>();

async function openApiRelay(host: KernelHost, apiProxyPort: number): Promise<void> {
  const relay = apiRelays.get(host) ?? { forward: host.forwardToHost(GUEST_API_PORT, apiProxyPort, CONTROL_PLANE_ADDRESS), users: 0 };
  apiRelays.set(host, relay);
  relay.users += 1;
  try {
    await relay.forward;
  } catch (error) {
    await closeApiRelay(host);
    throw error;
  }
}

async function closeApiRelay(host: KernelHost): Promise<void> {
  const relay = apiRelays.get(host);
  if (!relay) return;
  relay.users -= 1;
  if (relay.users > 0) return;
  apiRelays.delete(host);
  await (await relay.forward.catch(() => undefined))?.close();
}

export interface KubeletNodeOptions {
  lab: Lab;
  /** The lab node that becomes a kubelet node (its Node object has this name). */
  node: string;
  /** Host port of a plain-HTTP API endpoint (startControlPlane().proxyPort). */
  apiProxyPort: number;
  /**
   * The galactic executable, linked as the `galactic` CNI plugin. Omitted:
   * the node has no galactic plugin until the CNI DaemonSet installs one.
   */
  galactic?: string;
  /** Image archives (OCI, on the host's file system) imported besides the node's busybox image, e.g. dist/galactic-image.tar. */
  images?: string[];
  log?: (line: string) => void;
  timeoutMs?: number;
  /** CNI plugins (e.g. multus, galactic) to wrap so each call's duration is recorded: pluginTimings(). */
  timedPlugins?: string[];
}

export interface PluginTiming {
  plugin: string;
  command: string;
  /** K8S_POD_NAME from CNI_ARGS */
  pod: string;
  ms: number;
}

export class KubeletNode {
  private containerd: Process | undefined;
  private kubelet: Process | undefined;
  private relayOpen = false;

  private constructor(
    private readonly options: KubeletNodeOptions,
    readonly paths: NodePaths,
  ) {}

  get name(): string {
    return this.options.node;
  }

  /** The node IP kubelet registers: the lab node's underlay address. */
  get nodeIp(): string {
    return this.options.lab.node(this.options.node).underlay;
  }

  static async start(options: KubeletNodeOptions): Promise<KubeletNode> {
    const { lab } = options;
    if (lab.host.kind !== 'qemu') {
      // it mounts cgroup2 and runs containerd as root: never on the machine itself
      throw new Error('a kubelet node runs only in the qemu guest; start the kernel host with GALACTIC_KERNEL_HOST=qemu');
    }
    const paths = nodePaths(`/run/galactic-node/${options.node}`, join(lab.host.scratchDir, `node-${options.node}`), `/galactic-node-${options.node}`);
    const node = new KubeletNode(options, paths);
    try {
      await node.prepare();
      await node.startContainerd();
      await node.importImages();
      await node.startKubelet();
    } catch (error) {
      await node.stop();
      throw error;
    }
    return node;
  }

  private async prepare(): Promise<void> {
    const { lab } = this.options;
    const p = this.paths;
    const kubeconfig = join(p.conf, 'kubeconfig');
    await mkdir(p.cniConf, { recursive: true });
    await writeFile(join(p.conf, 'containerd.toml'), containerdConfig(p, NODE_IMAGE));
    await writeFile(join(p.conf, 'kubelet.json'), kubeletConfig(p));
    await writeFile(kubeconfig, proxyKubeconfig(`http://[${CONTROL_PLANE_ADDRESS}]:${GUEST_API_PORT}`));
    await writeFile(join(p.cniConf, '00-multus.conf'), multusConfig(p, kubeconfig));
    await writeFile(join(p.conf, 'image.tar'), nodeImageArchive().archive);
    const plugins: Record<string, string> = {
      multus: nodeBinary('multus'),
      ...(this.options.galactic !== undefined ? { galactic: this.options.galactic } : {}),
      ...Object.fromEntries(CNI_PLUGINS.map((plugin) => [plugin, `/usr/lib/cni/${plugin}`])),
    };
    const timed = new Set(this.options.timedPlugins ?? []);
    for (const [name, target] of Object.entries(plugins)) {
      if (!timed.has(name)) continue;
      // stdin and the CNI_* environment pass through; one line per call in cni-times
      const wrapper = `#!/bin/sh\nstart=$(date +%s%N)\n${target}\ncode=$?\npod=$(echo "$CNI_ARGS" | tr ';' '\\n' | sed -n 's/^K8S_POD_NAME=//p' | head -n1)\necho "${name} $CNI_COMMAND $pod $start $(date +%s%N)" >> ${p.state}/cni-times\nexit $code\n`;
      await writeFile(join(p.conf, `timed-${name}`), wrapper, { mode: 0o755 });
      plugins[name] = join(p.conf, `timed-${name}`);
    }
    const links = Object.entries(plugins).map(([name, target]) => `ln -sf ${target} ${p.cniBin}/${name}`);
    await lab.sh([
      // kubelet wants cgroup v2 (v1 is deprecated and fails by default), with the controllers pods use
      // (another node starting at the same time may mount it first)
      `mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || mountpoint -q /sys/fs/cgroup`,
      `echo '+cpu +cpuset +memory +pids +io' > /sys/fs/cgroup/cgroup.subtree_control || true`,
      // each kubelet under its own cgroup root: kubelet kills pod cgroups it does not know, so
      // kubelets sharing one kubepods would end each other's pods
      // (kubelet wants every controller there, hugetlb included)
      `mkdir -p /sys/fs/cgroup${p.cgroupRoot}`,
      `for c in $(cat /sys/fs/cgroup/cgroup.controllers); do echo +$c > /sys/fs/cgroup/cgroup.subtree_control; echo +$c > /sys/fs/cgroup${p.cgroupRoot}/cgroup.subtree_control; done || true`,
      `mkdir -p ${p.state} ${p.cniBin}`,
      ...links,
    ].join('\n'));
    await openApiRelay(lab.host, this.options.apiProxyPort);
    this.relayOpen = true;
  }

  /**
   * In the node's namespaces; `ip netns exec` mounts a fresh /sys, so cgroup2 is
   * mounted again there (a failed mount is no error: another node's start may
   * have mounted it). The node's CNI directories appear at the standard
   * /opt/cni/bin and /etc/cni/net.d (bind mounts in its private mount namespace),
   * where deploy/'s DaemonSets mount them from, as on a real node.
   */
  private async spawnOnNode(name: string, argv: string[]): Promise<Process> {
    const { lab, log } = this.options;
    const p = this.paths;
    const setup = `mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup; ${[
      `mkdir -p ${STANDARD_CNI_BIN} ${STANDARD_CNI_CONF}`,
      `mount --bind ${p.cniBin} ${STANDARD_CNI_BIN}`,
      `mount --bind ${p.cniConf} ${STANDARD_CNI_CONF}`,
      'exec "$@"',
    ].join(' && ')}`;
    const process = await lab.host.spawn(lab.onNode(this.name, ['sh', '-c', setup, 'sh', ...argv]), { onOutput: (data) => log?.(`${name} ${this.name}: ${data.trimEnd()}`) });
    void process.exited().then((code) => log?.(`${name} ${this.name}: exited with ${code}`), () => undefined);
    return process;
  }

  private async startContainerd(): Promise<void> {
    this.containerd = await this.spawnOnNode('containerd', ['containerd', '--config', join(this.paths.conf, 'containerd.toml')]);
    await waitFor(async () => (await this.ctr(['version'])).code === 0, {
      what: `containerd on ${this.name}`,
      timeoutMs: this.options.timeoutMs ?? 120_000,
      intervalMs: 500,
    });
  }

  /** ctr against this node's containerd, in the k8s.io namespace. */
  ctr(args: string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
    return this.options.lab.host.exec(['ctr', '--address', this.paths.containerdSocket, '--namespace', 'k8s.io', ...args], { timeoutMs });
  }

  private async importImages(): Promise<void> {
    for (const archive of [join(this.paths.conf, 'image.tar'), ...(this.options.images ?? [])]) {
      const started = Date.now();
      // unpacking the galactic image's 150 MiB under TCG takes a while
      const out = await this.ctr(['images', 'import', archive], 10 * 60_000);
      if (out.code !== 0) throw new Error(`ctr images import ${archive} on ${this.name} failed: ${out.stderr}${out.stdout}`);
      this.options.log?.(`node ${this.name}: imported ${archive} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }

  async startKubelet(): Promise<void> {
    this.kubelet = await this.spawnOnNode('kubelet', [
      nodeBinary('kubelet'),
      `--config=${join(this.paths.conf, 'kubelet.json')}`,
      `--kubeconfig=${join(this.paths.conf, 'kubeconfig')}`,
      `--root-dir=${this.paths.state}/kubelet`,
      `--hostname-override=${this.name}`,
      `--node-ip=${this.nodeIp}`,
      '--v=1',
    ]);
  }

  /** Stops kubelet only (pods keep running under containerd), e.g. to restart it. */
  async stopKubelet(): Promise<void> {
    await this.kubelet?.kill('SIGTERM');
    await this.kubelet?.exited().catch(() => undefined);
    this.kubelet = undefined;
  }

  /** The recorded calls of timedPlugins, in order. */
  async pluginTimings(): Promise<PluginTiming[]> {
    const out = await this.options.lab.host.exec(['cat', `${this.paths.state}/cni-times`]);
    return out.stdout.trim().split('\n').filter(Boolean).map((line) => {
      const [plugin = '', command = '', pod = '', start = '0', end = '0'] = line.split(' ');
      return { plugin, command, pod, ms: (Number(end) - Number(start)) / 1e6 };
    });
  }

  /** Names ("namespace/name") of the running pods kubelet itself reports (its /pods endpoint in the node). */
  async kubeletPods(): Promise<string[]> {
    const out = await this.options.lab.host.exec(['ip', 'netns', 'exec', this.name, 'curl', '-sfk', '--max-time', '10', 'https://127.0.0.1:10250/pods']);
    if (out.code !== 0) throw new Error(`kubelet on ${this.name} does not answer /pods: ${out.stderr}`);
    const list = JSON.parse(out.stdout) as { items: Array<{ metadata: { namespace: string; name: string }; status?: { phase?: string } }> };
    return list.items.filter((p) => p.status?.phase === 'Running').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  }

  /** The last lines each container of a pod wrote: kubelet's log files on the node (`kubectl logs` cannot reach a kubelet in the guest). */
  async podLogs(pod: string, namespace = 'default', lines = 40): Promise<string> {
    const out = await this.options.lab.host.sh(`tail -n ${lines} ${this.paths.state}/pod-logs/${namespace}_${pod}_*/*/*.log`);
    return out.stdout + out.stderr;
  }

  /** The pid of a pod's sandbox (its network namespace), from containerd. */
  async sandboxPid(pod: string, namespace = 'default'): Promise<number> {
    const filter = `labels."io.kubernetes.pod.name"==${pod},labels."io.kubernetes.pod.namespace"==${namespace},labels."io.cri-containerd.kind"==sandbox`;
    const ids = (await this.ctr(['containers', 'list', '--quiet', filter])).stdout.trim().split('\n').filter(Boolean);
    const tasks = (await this.ctr(['tasks', 'list'])).stdout;
    for (const id of ids) {
      const match = new RegExp(`^${id}\\s+(\\d+)\\s+RUNNING`, 'm').exec(tasks);
      if (match) return Number(match[1]);
    }
    throw new Error(`no running sandbox for pod ${namespace}/${pod} on ${this.name}`);
  }

  /** Stops kubelet, every pod (containerd's shims and runc containers) and containerd; removes its state. */
  async stop(): Promise<void> {
    const { lab } = this.options;
    await this.stopKubelet().catch(() => undefined);
    if (this.containerd) {
      // shims outlive containerd by design: end the pods' tasks while containerd still runs
      const tasks = await this.ctr(['tasks', 'list', '--quiet']).catch(() => undefined);
      for (const id of tasks?.stdout.split('\n').filter(Boolean) ?? []) {
        await this.ctr(['tasks', 'kill', '--signal', 'SIGKILL', id]).catch(() => undefined);
        await this.ctr(['tasks', 'delete', '--force', id]).catch(() => undefined);
      }
      await this.containerd.kill('SIGTERM').catch(() => undefined);
      await this.containerd.exited().catch(() => undefined);
      this.containerd = undefined;
    }
    if (this.relayOpen) await closeApiRelay(lab.host).catch(() => undefined);
    this.relayOpen = false;
    const shims = `${this.paths.state}/containerd/state/io.containerd.runtime.v2.task/k8s.io/*/shim.pid`;
    const cgroups = `/sys/fs/cgroup${this.paths.cgroupRoot}`;
    await lab.host.sh(`for f in ${shims}; do [ -f "$f" ] && kill -KILL "$(cat "$f")"; done; rm -rf ${this.paths.state}; [ -d ${cgroups} ] && find ${cgroups} -depth -type d -exec rmdir {} + 2>/dev/null; true`);
  }
}
