// A node for the CNI plugin on a real kernel (hack/kernel: this machine's
// when it has VRF, a qemu guest otherwise): a network namespace as the node
// (net.vrf.strict_mode=1), pod namespaces, the stand-in agent on a unix
// socket, and the plugin invoked as a runtime does it (CNI_* env, config on
// stdin, from inside the node namespace). Used by kernel.test.ts and
// bench/cni.ts.
import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { KernelHost, Process } from '../hack/kernel/index.js';

export const REPO = resolve(import.meta.dirname, '..');
export const CNI_PLUGINS = '/usr/lib/cni';

let built = false;
/** Builds dist/galactic from the current sources, once per test process; returns its path. */
export function buildExecutable(): string {
  if (!built) execFileSync(process.execPath, ['hack/build.mjs'], { cwd: REPO, stdio: 'pipe' }); // throws with the output on failure
  built = true;
  return join(REPO, 'dist/galactic');
}

export interface CniCall {
  command: 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC' | 'VERSION';
  config: object;
  containerId?: string;
  pod?: string;
  ifname?: string;
  cniPath?: string;
}

export interface CniOutcome {
  code: number;
  result: Record<string, unknown> | undefined;
  stdout: string;
  stderr: string;
}

export class CniNode {
  readonly runDir: string;
  readonly socket: string;
  private agentProcess: Process | undefined;
  private readonly pods = new Set<string>();

  constructor(
    readonly host: KernelHost,
    readonly netns: string,
    /** argv of the plugin executable. */
    readonly galactic: string[],
  ) {
    this.runDir = `/run/galactic-cni-test/${netns}`;
    this.socket = `${this.runDir}/agent.sock`;
  }

  /** Runs a script on the kernel host; throws with its output when it fails. */
  async sh(script: string): Promise<string> {
    const out = await this.host.sh(`set -e\n${script}`);
    if (out.code !== 0) throw new Error(`failed (exit ${out.code}):\n${script}\n${out.stderr}${out.stdout}`);
    return out.stdout;
  }

  async create(): Promise<void> {
    await this.sh(
      [
        `ip netns del ${this.netns} 2>/dev/null || true`,
        `rm -rf ${this.runDir} && mkdir -p ${this.runDir}`,
        `ip netns add ${this.netns}`,
        `ip -n ${this.netns} link set lo up`,
        `ip netns exec ${this.netns} sysctl -qw net.vrf.strict_mode=1`,
      ].join('\n'),
    );
  }

  async addPod(pod: string): Promise<void> {
    await this.sh(`ip netns del ${pod} 2>/dev/null || true\nip netns add ${pod}\nip -n ${pod} link set lo up`);
    this.pods.add(pod);
  }

  /** The stand-in agent (a real grpc-js local.v1.Local server) on this node's socket. */
  async startAgent(env: Record<string, string> = {}): Promise<Process> {
    await this.stopAgent();
    // Bundled: starts fast in a slow guest, and needs no TypeScript loader there.
    const bundle = join(this.host.scratchDir, 'fake-agent.cjs');
    buildSync({ entryPoints: [join(REPO, 'cni/fake-agent-main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'error' });
    this.agentProcess = await this.host.spawn(['node', bundle, this.socket], { cwd: REPO, env });
    await this.agentProcess.waitForOutput('listening', 300_000);
    return this.agentProcess;
  }

  async stopAgent(): Promise<void> {
    if (!this.agentProcess) return;
    await this.agentProcess.kill('SIGKILL');
    await this.agentProcess.exited();
    this.agentProcess = undefined;
  }

  /** The agent's calls so far. */
  agentCalls(): Array<{ method: string; vpc: string; vpcattachment: string; networks: string[] }> {
    return (this.agentProcess?.output() ?? '')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { method: string; vpc: string; vpcattachment: string; networks: string[] });
  }

  env(call: CniCall): Record<string, string> {
    const pod = call.pod ?? 'cnipod';
    return {
      CNI_COMMAND: call.command,
      CNI_CONTAINERID: call.containerId ?? pod,
      CNI_NETNS: `/run/netns/${pod}`,
      CNI_IFNAME: call.ifname ?? 'galactic0',
      CNI_PATH: call.cniPath ?? CNI_PLUGINS,
      GALACTIC_CNI_LOCK_DIR: this.runDir,
    };
  }

  /** One plugin invocation inside the node namespace. */
  async cni(call: CniCall): Promise<CniOutcome> {
    const out = await this.host.exec(['ip', 'netns', 'exec', this.netns, ...this.galactic], {
      env: this.env(call),
      input: JSON.stringify({ agent_socket: this.socket, ...call.config }),
      timeoutMs: 300_000,
    });
    let result: Record<string, unknown> | undefined;
    try {
      result = out.stdout.trim() === '' ? undefined : (JSON.parse(out.stdout) as Record<string, unknown>);
    } catch {
      result = undefined;
    }
    return { code: out.code, result, stdout: out.stdout, stderr: out.stderr };
  }

  /** Everything the plugin could leave behind in the node (and the pods), in a stable text form. */
  async snapshot(): Promise<string> {
    const n = this.netns;
    const links = await this.sh(`ip -n ${n} -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort`);
    const routes = await this.sh(`{ ip -n ${n} -4 route show table all; ip -n ${n} -6 route show table all; } | grep -v ' proto kernel ' | sort`);
    const filter = await this.sh(
      `{ ip netns exec ${n} iptables-save -t filter; ip netns exec ${n} ip6tables-save -t filter; } | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'`,
    );
    const pods = [];
    for (const pod of this.pods) pods.push(`${pod}: ${(await this.sh(`ip -n ${pod} -o link show | awk -F': ' '{print $2}' | sort | tr '\\n' ' '`)).trim()}`);
    return [`links:\n${links}`, `routes:\n${routes}`, `filter:\n${filter}`, `pods:\n${pods.join('\n')}`].join('\n');
  }

  /** `ip -j` in the node namespace. */
  async json<T>(args: string, netns = this.netns): Promise<T> {
    const out = await this.sh(`ip -n ${netns} -j ${args}`);
    return (out.trim() === '' ? [] : JSON.parse(out)) as T;
  }

  async close(): Promise<void> {
    await this.stopAgent().catch(() => undefined);
    await this.host.sh([...[...this.pods].map((p) => `ip netns del ${p}`), `ip netns del ${this.netns}`, `rm -rf ${this.runDir}`].map((l) => `${l} 2>/dev/null`).join('\n'));
    this.pods.clear();
  }
}
