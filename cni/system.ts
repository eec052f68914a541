// Everything the plugin does outside its own process, behind one interface:
// ip(8), iptables, sysctls, the delegated host-device plugin and the agent.
// The commands take a System, so their ordering and rollback are tested with
// a recording fake, and the real one runs them on the kernel.
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError, run } from '../lib/iproute.js';
import { readSysctl, writeSysctl } from '../lib/sysctl.js';
import { type AgentRequest, callAgent, pingAgent } from './agent-client.js';
import { CniError, ErrorCode } from './errors.js';

export interface LinkState {
  name: string;
  /** linkinfo kind: vrf, veth, … */
  kind?: string;
  /** VRF table id. */
  table?: number;
  master?: string;
  mtu?: number;
  up: boolean;
  alias?: string;
  mac?: string;
}

export interface RouteState {
  dst: string;
  dev?: string;
  gateway?: string;
  scope?: string;
}

export interface DelegateCall {
  command: 'ADD' | 'DEL' | 'CHECK';
  containerId: string;
  netns: string;
  ifname: string;
  path: string[];
  args: string;
  config: Record<string, unknown>;
}

export interface System {
  /** All links with details (`ip -j -d link show`). */
  links(): Promise<LinkState[]>;
  /** `ip -4|-6 -batch -`: the family applies to `route` lines (flush in particular). */
  ipBatch(family: 4 | 6, lines: string[]): Promise<void>;
  routes(family: 4 | 6, table: number): Promise<RouteState[]>;
  readSysctl(key: string): Promise<string>;
  writeSysctl(key: string, value: string): Promise<void>;
  /** iptables (4) or ip6tables (6) with these arguments. */
  iptables(family: 4 | 6, args: string[]): Promise<void>;
  /** Absolute path of a plugin in CNI_PATH, or undefined. */
  findPlugin(name: string, path: string[]): string | undefined;
  /** Runs a delegated plugin; resolves with its parsed stdout (undefined if empty), rejects with CniError. */
  delegate(plugin: string, call: DelegateCall): Promise<unknown>;
  pathExists(path: string): boolean;
  /** Why `path` is not a namespace the plugin can work in (missing, not a namespace file), or undefined. */
  netnsProblem(path: string): Promise<string | undefined>;
  /** The MAC of a link in this network namespace, if known. */
  mac(link: string): Promise<string | undefined>;
  agentCall(socket: string, method: 'Register' | 'Deregister', request: AgentRequest): Promise<{ confirmed: boolean }>;
  agentPing(socket: string): Promise<unknown>;
}

interface IpLink {
  ifname: string;
  flags?: string[];
  mtu?: number;
  master?: string;
  ifalias?: string;
  address?: string;
  linkinfo?: { info_kind?: string; info_data?: { table?: number } };
}

export function parseLinks(links: IpLink[]): LinkState[] {
  return links.map((l) => ({
    name: l.ifname,
    ...(l.linkinfo?.info_kind !== undefined ? { kind: l.linkinfo.info_kind } : {}),
    ...(l.linkinfo?.info_data?.table !== undefined ? { table: Number(l.linkinfo.info_data.table) } : {}),
    ...(l.master !== undefined ? { master: l.master } : {}),
    ...(l.mtu !== undefined ? { mtu: l.mtu } : {}),
    up: (l.flags ?? []).includes('UP'),
    ...(l.ifalias !== undefined ? { alias: l.ifalias } : {}),
    ...(l.address !== undefined ? { mac: l.address } : {}),
  }));
}

function kernelError(what: string, error: unknown): CniError {
  if (error instanceof CommandError) return new CniError(ErrorCode.KernelFailure, `${what} failed: ${error.stderr.trim() || `exit ${error.code}`}`, error.argv.join(' '));
  return new CniError(ErrorCode.KernelFailure, `${what} failed: ${(error as Error).message}`, 'the plugin needs ip(8) (iproute2) in PATH and CAP_NET_ADMIN');
}

async function ip(args: string[], input?: string): Promise<string> {
  try {
    return await run(['ip', ...args], input !== undefined ? { input } : {});
  } catch (error) {
    throw kernelError(`ip ${args.join(' ')}${input !== undefined ? `\n${input.trim()}\n` : ''}`, error);
  }
}

/** Runs a plugin binary the CNI way: CNI_* env, config on stdin, result or error JSON on stdout. */
export function execPlugin(plugin: string, call: DelegateCall): Promise<unknown> {
  const name = plugin.split('/').pop();
  const env = {
    ...process.env,
    CNI_COMMAND: call.command,
    CNI_CONTAINERID: call.containerId,
    CNI_NETNS: call.netns,
    CNI_IFNAME: call.ifname,
    CNI_PATH: call.path.join(':'),
    CNI_ARGS: call.args,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(plugin, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => reject(new CniError(ErrorCode.DelegateFailure, `cannot run ${plugin}: ${e.message}`, `${plugin} must be an executable CNI plugin (the community host-device)`)));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString().trim();
      const stderr = Buffer.concat(err).toString().trim();
      let parsed: unknown;
      try {
        parsed = stdout === '' ? undefined : JSON.parse(stdout);
      } catch {
        parsed = undefined;
      }
      if (code === 0) {
        if (stdout !== '' && parsed === undefined) reject(new CniError(ErrorCode.DelegateFailure, `${name} ${call.command} printed no JSON: ${stdout.slice(0, 200)}`, `${plugin} must be the community host-device CNI plugin`));
        else resolve(parsed);
        return;
      }
      const e = (parsed ?? {}) as { code?: number; msg?: string; details?: string };
      const msg = e.msg ?? (stdout || stderr || `exit ${code}`);
      reject(new CniError(ErrorCode.DelegateFailure, `${name} ${call.command} failed${e.code !== undefined ? ` (code ${e.code})` : ''}: ${msg}`, [e.details, stderr].filter(Boolean).join('\n') || `${plugin} printed nothing else; its configuration was ${JSON.stringify(call.config)}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(call.config));
  });
}

export const realSystem: System = {
  async links() {
    const out = await ip(['-j', '-d', 'link', 'show']);
    return parseLinks(out.trim() === '' ? [] : (JSON.parse(out) as IpLink[]));
  },
  async ipBatch(family, lines) {
    if (lines.length) await ip([`-${family}`, '-batch', '-'], `${lines.join('\n')}\n`);
  },
  async routes(family, table) {
    const out = await ip([`-${family}`, '-j', 'route', 'show', 'table', String(table)]);
    const routes = (out.trim() === '' ? [] : JSON.parse(out)) as Array<Record<string, unknown>>;
    return routes.map((r) => ({
      dst: String(r.dst),
      ...(r.dev !== undefined ? { dev: String(r.dev) } : {}),
      ...(r.gateway !== undefined ? { gateway: String(r.gateway) } : {}),
      ...(r.scope !== undefined ? { scope: String(r.scope) } : {}),
    }));
  },
  readSysctl,
  async writeSysctl(key, value) {
    try {
      await writeSysctl(key, value);
    } catch (error) {
      throw new CniError(ErrorCode.KernelFailure, `setting ${key}=${value} failed: ${(error as Error).message}`, 'the plugin needs write access to /proc/sys/net (CAP_NET_ADMIN, /proc/sys mounted read-write)');
    }
  },
  async iptables(family, args) {
    const bin = family === 4 ? 'iptables' : 'ip6tables';
    try {
      await run([bin, '-w', '10', ...args]);
    } catch (error) {
      throw kernelError(`${bin} ${args.join(' ')}`, error);
    }
  },
  findPlugin(name, path) {
    for (const dir of path) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
    return undefined;
  },
  delegate: execPlugin,
  pathExists: existsSync,
  netnsProblem,
  mac: macOf,
  agentCall: (socket, method, request) => callAgent(socket, method, request),
  agentPing: (socket) => pingAgent(socket),
};

/** statfs f_type of nsfs: the file system of /proc/PID/ns/* and their bind mounts (/var/run/netns/*). */
const NSFS_MAGIC = 0x6e736673;

/**
 * CNI_NETNS must be a namespace file; that it is a network namespace and not
 * another kind is left to host-device's setns(CLONE_NEWNET), which refuses
 * any other, before it moves the link.
 */
export async function netnsProblem(path: string): Promise<string | undefined> {
  if (!path.startsWith('/')) return 'it is not an absolute path';
  try {
    const { type } = await statfs(path);
    return type === NSFS_MAGIC ? undefined : 'it is not a namespace (not on nsfs: neither /proc/PID/ns/net nor a bind mount of one)';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'it does not exist' : `it cannot be examined: ${(error as Error).message}`;
  }
}

/** The MAC of a link in this network namespace, if sysfs shows it. */
export async function macOf(link: string): Promise<string | undefined> {
  try {
    return (await readFile(`/sys/class/net/${link}/address`, 'utf8')).trim();
  } catch {
    return undefined;
  }
}
