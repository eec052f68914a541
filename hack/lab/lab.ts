// A Galactic lab on one kernel: nodes are network namespaces on an IPv6
// underlay bridge, each prepared per SPEC §6 and running its own agent;
// pods are namespaces; the router with its embedded broker sits on the
// underlay. Every node also gets a private /run/galactic (a bind mount in its
// own mount namespace) so agent sockets and CNI locks stay per node, as on
// separate machines.
import { join } from 'node:path';
import type { KernelHost, Process } from '../kernel/index.js';
import { waitFor } from '../../lib/wait.js';
import { CONTROL_PLANE_ADDRESS, type LabNode, MQTT_PORT, UNDERLAY_PREFIX_LENGTH, labNodes } from './topology.js';

export const BRIDGE = 'br-galab';
const RUN_ROOT = '/run/galactic-lab';
export const AGENT_METRICS_PORT = 9100;
export const ROUTER_METRICS_PORT = 9200;
const SRV6_AGGREGATE = '2001:db8:ff00::/40';
const HOST_SYSCTLS = (ifc: string): string[] => [
  `net.ipv4.conf.${ifc}.forwarding=1`,
  `net.ipv4.conf.${ifc}.rp_filter=0`,
  `net.ipv6.conf.${ifc}.forwarding=1`,
  `net.ipv6.conf.${ifc}.accept_ra=0`,
  `net.ipv6.conf.${ifc}.autoconf=0`,
  `net.ipv6.conf.${ifc}.seg6_enabled=1`,
];

export interface LabOptions {
  host: KernelHost;
  nodes: string[];
  /** argv that runs the galactic executable on the kernel host. */
  galactic: string[];
  /** The agents' --anti-entropy-interval (seconds); their default when unset. */
  antiEntropyIntervalS?: number;
  /**
   * Nodes left as a fresh machine on the underlay: uplink, its address and
   * routes to the other nodes' prefixes only; their agent (`--prepare-host`)
   * makes the rest of SPEC §6 itself.
   */
  unprepared?: string[];
  log?: (line: string) => void;
}

/** How MQTT clients (router, agents) reach the broker: its port on the underlay, or a proxy's in front of it. */
export interface ClientOptions {
  mqttPort?: number;
}

export interface RouterOptions extends ClientOptions {
  /** Runs the broker in the router (`--embedded-broker`) instead of using the lab's separate one. */
  embeddedBroker?: boolean;
  /** The store (DB_URL); default an SQLite file on the kernel host that survives restarts. */
  dbUrl?: string;
}

export interface CniCall {
  command: 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC' | 'VERSION';
  containerId: string;
  pod: string;
  ifname: string;
  /** The single plugin config as the runtime passes it on stdin. */
  config: object;
}

export class Lab {
  readonly nodes: LabNode[];
  private readonly agents = new Map<string, Process>();
  private router: Process | undefined;
  private broker: Process | undefined;
  private readonly pods = new Set<string>();

  private constructor(private readonly options: LabOptions) {
    this.nodes = labNodes(options.nodes);
  }

  get host(): KernelHost {
    return this.options.host;
  }

  /** Builds the underlay and the nodes; tears down what it made if that fails. */
  static async create(options: LabOptions): Promise<Lab> {
    const lab = new Lab(options);
    try {
      await lab.build();
    } catch (error) {
      await lab.teardown();
      throw error;
    }
    return lab;
  }

  node(name: string): LabNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no lab node ${name}`);
    return node;
  }

  runDir(node: string): string {
    return join(RUN_ROOT, node);
  }

  agentSocket(node: string): string {
    return join(this.runDir(node), 'agent.sock');
  }

  /** argv running `argv` inside a node: its network namespace and its own /run/galactic. */
  onNode(node: string, argv: string[]): string[] {
    const script = 'mkdir -p /run/galactic && mount --bind "$0" /run/galactic && exec "$@"';
    return ['ip', 'netns', 'exec', node, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, this.runDir(node), ...argv];
  }

  async sh(script: string): Promise<string> {
    const result = await this.host.sh(`set -e\n${script}`);
    if (result.code !== 0) throw new Error(`lab command failed (exit ${result.code}):\n${script}\n${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  private async build(): Promise<void> {
    await this.sh([
      `sysctl -qw net.vrf.strict_mode=1`,
      `mkdir -p ${RUN_ROOT}`,
      `ip link add ${BRIDGE} type bridge && ip link set ${BRIDGE} up`,
      `ip addr add ${CONTROL_PLANE_ADDRESS}/${UNDERLAY_PREFIX_LENGTH} dev ${BRIDGE} nodad`,
    ].join('\n'));
    for (const node of this.nodes) await this.sh(this.nodeScript(node));
  }

  /** A node's underlay link and routes, plus (unless it is unprepared) the SPEC §6 host prerequisites. */
  private nodeScript(node: LabNode): string {
    const n = node.name;
    const peers = this.nodes.filter((p) => p.name !== n);
    const network = [
      `ip netns add ${n}`,
      `mkdir -p ${this.runDir(n)}`,
      `ip link add u-${n} type veth peer name eth1 netns ${n}`,
      `ip link set u-${n} master ${BRIDGE} up`,
      `ip -n ${n} link set lo up && ip -n ${n} link set eth1 up`,
      `ip -n ${n} addr add ${node.underlay}/${UNDERLAY_PREFIX_LENGTH} dev eth1 nodad`,
      ...peers.map((p) => `ip -n ${n} -6 route add ${p.srv6Net} via ${p.underlay}`),
    ];
    if (this.options.unprepared?.includes(n)) return network.join('\n');
    return [
      ...network,
      `ip netns exec ${n} sysctl -qw net.vrf.strict_mode=1`,
      `ip -n ${n} link add lo-galactic type dummy && ip -n ${n} link set lo-galactic up`,
      `ip -n ${n} -6 addr add ${node.loopback}/128 dev lo-galactic nodad`,
      `ip -n ${n} sr tunsrc set ${node.loopback}`,
      ...['eth1', 'all', 'default', 'lo-galactic'].map((ifc) => `ip netns exec ${n} sysctl -qw ${HOST_SYSCTLS(ifc).join(' ')}`),
      `ip netns exec ${n} ip6tables -A FORWARD -d ${SRV6_AGGREGATE} -j ACCEPT`,
    ].join('\n');
  }

  /** Whether a TCP port accepts connections (bash's /dev/tcp: no extra tools on the kernel host). */
  private async portOpen(address: string, port: number): Promise<boolean> {
    return (await this.host.exec(['bash', '-c', `exec 3<>/dev/tcp/${address}/${port}`])).code === 0;
  }

  /** Starts a separate `galactic broker` on the underlay (all addresses of the root namespace), for tests about the broker. */
  async startBroker(): Promise<Process> {
    this.broker = await this.host.spawn([...this.options.galactic, 'broker', '--port', String(MQTT_PORT)], {
      onOutput: (data) => this.options.log?.(`broker: ${data.trimEnd()}`),
    });
    await this.waitForBroker();
    return this.broker;
  }

  private async waitForBroker(): Promise<void> {
    await waitFor(async () => await this.portOpen(CONTROL_PLANE_ADDRESS, MQTT_PORT), {
      what: 'the broker on the underlay',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
  }

  /**
   * Starts `galactic router` with a store that survives restarts: against
   * the lab's separate broker, or running the broker itself on the underlay
   * (`--embedded-broker`, its default address ::) as `make dev` and `make demo` do.
   */
  async startRouter(options: RouterOptions = {}): Promise<Process> {
    const broker = options.embeddedBroker ? ['--embedded-broker', String(MQTT_PORT)] : [];
    const mqttUrl = options.mqttPort === undefined ? `tcp://[::1]:${MQTT_PORT}` : `tcp://[${CONTROL_PLANE_ADDRESS}]:${options.mqttPort}`;
    this.router = await this.host.spawn([...this.options.galactic, 'router', '--metrics-port', String(ROUTER_METRICS_PORT), ...broker], {
      env: {
        ...(options.embeddedBroker ? {} : { MQTT_URL: mqttUrl }),
        MQTT_CLIENTID: 'galactic-router',
        DB_URL: options.dbUrl ?? join(RUN_ROOT, 'router.db'),
      },
      onOutput: (data) => this.options.log?.(`router: ${data.trimEnd()}`),
    });
    await waitFor(async () => await this.portOpen('127.0.0.1', ROUTER_METRICS_PORT), {
      what: 'the router health endpoint',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    if (options.embeddedBroker) await this.waitForBroker();
    return this.router;
  }

  /** The running router's exit code once it exits by itself (e.g. on losing its store). */
  async routerExit(): Promise<number> {
    if (!this.router) throw new Error('no router running');
    return this.router.exited();
  }

  async stopRouter(signal = 'SIGTERM'): Promise<void> {
    await stopProcess(this.router, signal);
    this.router = undefined;
  }

  async stopBroker(signal = 'SIGTERM'): Promise<void> {
    await stopProcess(this.broker, signal);
    this.broker = undefined;
  }

  async startAgent(node: string, options: ClientOptions = {}): Promise<Process> {
    const spec = this.node(node);
    const antiEntropy = this.options.antiEntropyIntervalS === undefined ? [] : ['--anti-entropy-interval', String(this.options.antiEntropyIntervalS)];
    const agent = await this.host.spawn(
      this.onNode(node, [
        ...this.options.galactic, 'agent',
        '--srv6-net', spec.srv6Net,
        '--socket-path', '/run/galactic/agent.sock',
        '--mqtt-url', `tcp://[${CONTROL_PLANE_ADDRESS}]:${options.mqttPort ?? MQTT_PORT}`,
        '--mqtt-clientid', `agent-${node}`,
        '--mqtt-topic-send', `galactic/${node}/send`,
        '--mqtt-topic-receive', `galactic/${node}/receive`,
        '--metrics-port', String(AGENT_METRICS_PORT),
        '--metrics-host', '::',
        ...antiEntropy,
      ]),
      { onOutput: (data) => this.options.log?.(`agent ${node}: ${data.trimEnd()}`) },
    );
    this.agents.set(node, agent);
    await waitFor(async () => (await this.host.sh(`test -S ${this.agentSocket(node)}`)).code === 0, {
      what: `the agent socket on ${node}`,
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    return agent;
  }

  async stopAgent(node: string, signal = 'SIGTERM'): Promise<void> {
    await stopProcess(this.agents.get(node), signal);
    this.agents.delete(node);
  }

  async addPodNamespace(pod: string): Promise<string> {
    await this.sh(`ip netns add ${pod} && ip -n ${pod} link set lo up`);
    this.pods.add(pod);
    return `/run/netns/${pod}`;
  }

  async deletePodNamespace(pod: string): Promise<void> {
    await this.host.sh(`ip netns del ${pod}`);
    this.pods.delete(pod);
  }

  /** Invokes the CNI plugin on a node exactly as a runtime does: env + stdin config. */
  async cni(node: string, call: CniCall): Promise<{ code: number; result: unknown; stderr: string }> {
    const out = await this.host.exec(this.onNode(node, this.options.galactic), {
      env: {
        CNI_COMMAND: call.command,
        CNI_CONTAINERID: call.containerId,
        CNI_NETNS: `/run/netns/${call.pod}`,
        CNI_IFNAME: call.ifname,
        CNI_PATH: '/usr/lib/cni',
      },
      input: JSON.stringify(call.config),
      timeoutMs: 120_000,
    });
    let result: unknown;
    try {
      result = out.stdout.trim() === '' ? undefined : JSON.parse(out.stdout);
    } catch {
      result = out.stdout;
    }
    return { code: out.code, result, stderr: out.stderr };
  }

  /** One ping from a pod; `source` selects the source address (a routed prefix). */
  async ping(pod: string, destination: string, source?: string): Promise<boolean> {
    const argv = ['ip', 'netns', 'exec', pod, 'ping', '-c1', '-W2', ...(source ? ['-I', source] : []), destination];
    return (await this.host.exec(argv)).code === 0;
  }

  /** Everything Galactic owns in a node's kernel, in a stable form for equality checks. */
  async kernelState(node: string): Promise<KernelSnapshot> {
    const json = async (args: string): Promise<Record<string, unknown>[]> => {
      const out = await this.sh(`ip -n ${node} -j ${args}`);
      return out.trim() === '' ? [] : (JSON.parse(out) as Record<string, unknown>[]);
    };
    const links = (await json('link show')).map((l) => String(l.ifname)).filter((name) => /^G/.test(name)).sort();
    const routes = [...(await json('-4 route show table all')), ...(await json('-6 route show table all'))]
      .filter((r) => r.table !== 'local' && r.protocol !== 'kernel' && r.type !== 'multicast' && r.dev !== 'eth1' && r.dev !== 'lo-galactic' && r.dev !== 'lo')
      .map((r) => `${String(r.table ?? 'main')} ${String(r.dst)} ${r.nhid !== undefined ? 'nh' : String(r.gateway ?? r.dev ?? '')} ${r.encap ? JSON.stringify(r.segs ?? r.action) : ''}`.trim())
      .sort();
    const nexthops = [...(await json('-4 nexthop')), ...(await json('-6 nexthop'))].map((n) => `${String(n.id)} ${JSON.stringify(n.segs)}`).sort();
    const proxies = (await json('neigh show proxy')).map((p) => `${String(p.dst)} ${String(p.dev)}`).sort();
    const forward = (await this.sh(`ip netns exec ${node} iptables -S FORWARD; ip netns exec ${node} ip6tables -S FORWARD`))
      .split('\n').filter((line) => / -o G/.test(line)).sort();
    return { links, routes, nexthops, proxies, forward };
  }

  /** Removes everything the lab made; safe to call more than once and after partial builds. */
  async teardown(): Promise<void> {
    for (const node of [...this.agents.keys()]) await this.stopAgent(node, 'SIGKILL').catch(() => undefined);
    await this.stopRouter('SIGKILL').catch(() => undefined);
    await this.stopBroker('SIGKILL').catch(() => undefined);
    const script = [
      ...[...this.pods].map((pod) => `ip netns del ${pod}`),
      ...this.nodes.map((node) => `ip netns del ${node.name}`),
      `ip link del ${BRIDGE}`,
      `rm -rf ${RUN_ROOT}`,
    ].map((line) => `${line} 2>/dev/null`).join('\n');
    await this.host.sh(script);
    this.pods.clear();
  }
}

async function stopProcess(process: Process | undefined, signal: string): Promise<void> {
  if (!process) return;
  await process.kill(signal);
  await process.exited();
}

export interface KernelSnapshot {
  links: string[];
  routes: string[];
  nexthops: string[];
  proxies: string[];
  forward: string[];
}
