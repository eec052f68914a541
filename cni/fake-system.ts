// A System for tests: a small model of the kernel objects the plugin touches
// (links, routes per table, FORWARD rules, sysctls), a scripted host-device
// and agent, a log of every operation, and failure injection by operation.
import { AgentStatusError, AgentUnavailableError, type AgentRequest } from './agent-client.js';
import { CniError, ErrorCode } from './errors.js';
import type { DelegateCall, LinkState, RouteState, System } from './system.js';

export interface FakeRoute extends RouteState {
  table: number;
  family: 4 | 6;
}

export class FakeSystem implements System {
  links_ = new Map<string, LinkState & { peer?: string }>();
  routes_: FakeRoute[] = [];
  rules: Record<4 | 6, string[]> = { 4: [], 6: [] };
  sysctls = new Map<string, string>();
  /** Every operation, in order: `ip6: link add …`, `iptables4 -I …`, `delegate ADD`, `agent Register`. */
  ops: string[] = [];
  agentRequests: Array<{ method: string; request: AgentRequest }> = [];
  plugins = new Map<string, string>([['host-device', '/opt/cni/bin/host-device']]);
  existingPaths = new Set<string>(['/var/run/netns/pod']);
  /** Existing paths that are network namespaces. */
  netnsPaths = new Set<string>(['/var/run/netns/pod']);
  /** The agent: 'ok', 'unreachable', 'error' (gRPC status) or 'refuse' (confirmed = false). */
  agent: 'ok' | 'unreachable' | 'error' | 'refuse' = 'ok';
  /** Throws on the first operation matching. */
  failOn: RegExp | undefined;
  delegateResult: unknown = {
    cniVersion: '1.0.0',
    interfaces: [{ name: 'galactic0', mac: '02:00:00:00:00:01', sandbox: '/var/run/netns/pod' }],
    ips: [
      { address: '10.1.1.1/24', interface: 0 },
      { address: '2001:10:1:1::1/64', interface: 0 },
    ],
    routes: [{ dst: '192.168.2.0/24', gw: '10.1.1.3' }],
  };
  /** Guest ends currently "in the pod". */
  inPod = new Set<string>();

  private record(op: string): void {
    this.ops.push(op);
    if (this.failOn?.test(op)) {
      this.failOn = undefined;
      throw new CniError(ErrorCode.KernelFailure, `injected failure: ${op}`, op);
    }
  }

  async links(): Promise<LinkState[]> {
    this.ops.push('links');
    return [...this.links_.values()].map(({ peer: _peer, ...l }) => ({ ...l }));
  }

  async ipBatch(family: 4 | 6, lines: string[]): Promise<void> {
    for (const line of lines) {
      this.record(`ip${family}: ${line}`);
      this.apply(family, line);
    }
  }

  private apply(family: 4 | 6, line: string): void {
    const w = line.split(' ');
    const fail = (why: string): never => {
      throw new CniError(ErrorCode.KernelFailure, `ip: ${line}: ${why}`, `ip -${family} -batch -: ${line}`);
    };
    if (w[0] === 'link' && w[1] === 'add') {
      const name = w[2]!;
      if (this.links_.has(name)) fail('File exists');
      if (line.includes('type vrf')) this.links_.set(name, { name, kind: 'vrf', table: Number(w[w.indexOf('table') + 1]), up: false });
      else {
        const mtu = Number(w[w.indexOf('mtu') + 1]);
        const peer = w[w.indexOf('name') + 1]!;
        this.links_.set(name, { name, kind: 'veth', mtu, up: false, peer });
        this.links_.set(peer, { name: peer, kind: 'veth', mtu, up: false, peer: name });
      }
    } else if (w[0] === 'link' && w[1] === 'set') {
      const link = this.links_.get(w[3]!) ?? fail('Cannot find device');
      if (w[4] === 'alias') link.alias = w[5]!;
      else if (w[4] === 'master') link.master = w[5]!;
      else if (w[4] === 'up') link.up = true;
    } else if (w[0] === 'link' && w[1] === 'del') {
      const name = w[3]!;
      const link = this.links_.get(name) ?? fail('Cannot find device');
      this.links_.delete(name);
      if (link.peer) {
        this.links_.delete(link.peer);
        this.inPod.delete(link.peer);
      }
      this.routes_ = this.routes_.filter((r) => r.dev !== name && !(r.gateway && this.viaDev(r) === name));
    } else if (w[0] === 'route' && w[1] === 'flush') {
      const table = Number(w[3]);
      this.routes_ = this.routes_.filter((r) => !(r.table === table && r.family === family));
    } else if (w[0] === 'route' && w[1] === 'add') {
      const table = Number(w[w.indexOf('table') + 1]);
      const dst = w[2]!;
      const routeFamily = dst.includes(':') ? 6 : 4;
      if (routeFamily !== family) fail(`family mismatch: ${dst} under -${family}`);
      if (this.routes_.some((r) => r.table === table && r.dst === dst)) fail('File exists');
      const route: FakeRoute = { table, family, dst };
      if (w.includes('via')) route.gateway = w[w.indexOf('via') + 1]!;
      if (w.includes('dev')) route.dev = w[w.indexOf('dev') + 1]!;
      if (w.includes('scope')) route.scope = w[w.indexOf('scope') + 1]!;
      if (route.dev && !this.links_.has(route.dev)) fail('Cannot find device');
      this.routes_.push(route);
    } else fail('unknown line');
  }

  private viaDev(route: FakeRoute): string | undefined {
    return this.routes_.find((r) => r.table === route.table && r.family === route.family && r.dev && !r.gateway)?.dev;
  }

  async routes(family: 4 | 6, table: number): Promise<RouteState[]> {
    this.ops.push(`routes${family} ${table}`);
    return this.routes_.filter((r) => r.family === family && r.table === table).map(({ table: _t, family: _f, ...r }) => r);
  }

  async readSysctl(key: string): Promise<string> {
    return this.sysctls.get(key) ?? '0';
  }

  async writeSysctl(key: string, value: string): Promise<void> {
    this.record(`sysctl ${key}=${value}`);
    const link = key.split('.')[3]!;
    if (!this.links_.has(link)) throw new CniError(ErrorCode.KernelFailure, `setting ${key} failed: no such file`, `sysctl ${key}=${value}`);
    this.sysctls.set(key, value);
  }

  async iptables(family: 4 | 6, args: string[]): Promise<void> {
    const op = args.find((a) => ['-I', '-D', '-C'].includes(a))!;
    this.record(`iptables${family} ${args.join(' ')}`);
    const rule = args.slice(args.indexOf('FORWARD') + (op === '-I' ? 2 : 1)).join(' ');
    const rules = this.rules[family];
    if (op === '-I') rules.unshift(rule);
    else {
      const i = rules.indexOf(rule);
      if (i < 0) throw new CniError(ErrorCode.KernelFailure, 'iptables: Bad rule (does a matching rule exist in that chain?).', `iptables ${args.join(' ')}`);
      if (op === '-D') rules.splice(i, 1);
    }
  }

  findPlugin(name: string): string | undefined {
    return this.plugins.get(name);
  }

  async delegate(plugin: string, call: DelegateCall): Promise<unknown> {
    this.record(`delegate ${call.command}`);
    const device = call.config.device as string;
    if (call.command === 'ADD') {
      if (!this.links_.has(device)) throw new CniError(ErrorCode.DelegateFailure, `host-device ADD failed: failed to find link "${device}"`, plugin);
      this.inPod.add(device);
      return this.delegateResult;
    }
    if (call.command === 'DEL') {
      if (!this.inPod.has(device)) throw new CniError(ErrorCode.DelegateFailure, `host-device DEL failed: failed to find "${call.ifname}"`, plugin);
      this.inPod.delete(device);
      return undefined;
    }
    if (!this.inPod.has(device)) throw new CniError(ErrorCode.DelegateFailure, `host-device CHECK failed: no ${call.ifname} in the container`, plugin);
    return undefined;
  }

  pathExists(path: string): boolean {
    return this.existingPaths.has(path);
  }

  async netnsProblem(path: string): Promise<string | undefined> {
    this.ops.push('netns');
    if (!this.existingPaths.has(path)) return 'it does not exist';
    return this.netnsPaths.has(path) ? undefined : 'it is not a namespace';
  }

  async mac(link: string): Promise<string | undefined> {
    return this.links_.has(link) ? '02:00:00:00:00:99' : undefined;
  }

  async agentCall(_socket: string, method: 'Register' | 'Deregister', request: AgentRequest): Promise<{ confirmed: boolean }> {
    this.record(`agent ${method}`);
    this.agentRequests.push({ method, request });
    if (this.agent === 'unreachable') throw new AgentUnavailableError('connect ENOENT /var/run/galactic/agent.sock');
    if (this.agent === 'error') throw new AgentStatusError(13, `agent ${method} failed: gRPC status 13: boom`);
    return { confirmed: this.agent === 'ok' };
  }

  async agentPing(): Promise<unknown> {
    if (this.agent === 'unreachable') throw new AgentUnavailableError('connect ENOENT /var/run/galactic/agent.sock');
    return 0;
  }

  /** Everything that would be kernel residue, for before/after comparisons. */
  snapshot(): unknown {
    return {
      links: [...this.links_.keys()].sort(),
      routes: this.routes_.map((r) => `${r.table} ${r.dst}`).sort(),
      rules: this.rules,
      inPod: [...this.inPod].sort(),
    };
  }
}
