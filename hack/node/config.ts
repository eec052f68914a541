// The files a real node runs from: containerd's config, the CNI network
// (Multus thin plugin delegating to a bridge default network; NADs name our
// plugin), kubelet's config, and the kubeconfig both use. Pure: paths in, text out.

export interface NodePaths {
  /** Guest tmpfs: containerd's root/state, kubelet's root, CNI state. */
  state: string;
  /** Shared directory on the host's disk (scratch): config written by the test process, the CNI bin dir. */
  conf: string;
  containerdSocket: string;
  cniBin: string;
  cniConf: string;
  /** The node's cgroup (v2) under which kubelet makes kubepods: one per node in a shared guest. */
  cgroupRoot: string;
}

export function nodePaths(stateRoot: string, confRoot: string, cgroupRoot: string): NodePaths {
  return {
    state: stateRoot,
    cgroupRoot,
    conf: confRoot,
    containerdSocket: `${stateRoot}/containerd.sock`,
    // on disk, as on a real node: the CNI installer's copy of the 136 MiB
    // executable would be unreclaimable tmpfs memory charged to its container
    cniBin: `${confRoot}/cni-bin`,
    cniConf: `${confRoot}/net.d`,
  };
}

/** containerd 1.6: CRI with cgroupfs, state on tmpfs, our local image as the sandbox image. */
export function containerdConfig(p: NodePaths, sandboxImage: string): string {
  return `version = 2
root = "${p.state}/containerd/root"
state = "${p.state}/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "${p.containerdSocket}"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"
  # root here may not lower oom_score_adj; containerd would fail every sandbox
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${p.cniBin}"
    conf_dir = "${p.cniConf}"
    max_conf_num = 1
`;
}

/** An unauthenticated kubeconfig for the plain-HTTP API endpoint in the guest. */
export function proxyKubeconfig(server: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'envtest', cluster: { server } }],
    users: [{ name: 'node', user: {} }],
    contexts: [{ name: 'envtest', context: { cluster: 'envtest', user: 'node' } }],
    'current-context': 'envtest',
  });
}

/** The bridge subnet of the node's default (non-Galactic) pod network. */
export const DEFAULT_POD_SUBNET = '198.51.100.0/24';

/** Multus thin plugin as the node's only CNI network: default network delegate + NADs from the API. */
export function multusConfig(p: NodePaths, kubeconfigPath: string): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'multus-cni-network',
    type: 'multus',
    kubeconfig: kubeconfigPath,
    cniDir: `${p.state}/multus`,
    binDir: p.cniBin,
    logLevel: 'verbose',
    logFile: `${p.state}/multus.log`,
    delegates: [
      {
        cniVersion: '1.0.0',
        name: 'default',
        plugins: [
          {
            type: 'bridge',
            bridge: 'cni0',
            isGateway: true,
            ipam: { type: 'host-local', ranges: [[{ subnet: DEFAULT_POD_SUBNET }]], dataDir: `${p.state}/ipam` },
          },
        ],
      },
    ],
  });
}

export function kubeletConfig(p: NodePaths): string {
  const none = '0%'; // no eviction: the node's disks are tmpfs and small by design
  return JSON.stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'cgroupfs',
    cgroupRoot: p.cgroupRoot,
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    // Nothing reaches the kubelet from outside the guest; no API server callbacks.
    authentication: { anonymous: { enabled: true }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    failSwapOn: false,
    resolvConf: '',
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    podLogsDir: `${p.state}/pod-logs`,
    evictionHard: { 'memory.available': none, 'nodefs.available': none, 'imagefs.available': none, 'nodefs.inodesFree': none, 'imagefs.inodesFree': none },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    localStorageCapacityIsolation: false,
    serializeImagePulls: false,
    nodeStatusUpdateFrequency: '5s',
    // a sandbox's CNI ADD (Multus, bridge, galactic) can exceed the default 2 min under TCG with
    // several pods at once; past the deadline kubelet abandons it and starts the sandbox over
    runtimeRequestTimeout: '10m',
    syncFrequency: '10s',
  });
}
