// Host prerequisites (SPEC §6), checked at start: every missing one is named
// with the command that fixes it. Gathering the facts does I/O; judging them
// is pure (and tested on its own).
import { existsSync, readdirSync } from 'node:fs';
import { cidrContains, isCidr, parseCidr } from '../lib/ip.js';
import { type IpRoute2, ipRoute2, run } from '../lib/iproute.js';
import { type Srv6Net, loopbackSid } from '../lib/sid.js';
import { readSysctl } from '../lib/sysctl.js';
import { canonicalAddress } from './kernel-state.js';

export interface Prerequisite {
  /** What is wrong, e.g. "kernel module vrf is not loaded". */
  what: string;
  /** Shell command(s) that fix it. */
  fix: string;
}

export interface HostFacts {
  /** Sysctl values by key; undefined when the key does not exist. */
  sysctls: Record<string, string | undefined>;
  /** The encap device, if it exists. */
  encapLink?: { up: boolean; addresses: string[] };
  /** `ip sr tunsrc show`. */
  tunsrc?: string;
  /** Links carrying IPv6 routes through a gateway (the underlay). */
  uplinks: string[];
  /** `ip6tables -S FORWARD`, undefined when ip6tables cannot run. */
  forward?: string;
  /** Where the community CNI plugins were looked for, and which of them were found there. */
  cniPluginDirs: string[];
  cniPlugins: string[];
  /** Names in /etc/cni/net.d. */
  cniConfigs: string[];
}

export interface PrerequisiteSettings {
  encapDevice: string;
  srv6Net: Srv6Net;
  srv6NetText: string;
}

const CNI_CONF_DIR = '/etc/cni/net.d';
const CNI_PLUGINS = ['host-device', 'static'];

/**
 * Where the CNI plugin will find its delegates: the agent's CNI_PATH when set
 * (the directories the container runtime passes), else the usual places
 * (/opt/cni/bin; Debian's containernetworking-plugins in /usr/lib/cni).
 */
export function cniPluginDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.CNI_PATH ?? '').split(':').filter((dir) => dir !== '');
  return dirs.length > 0 ? dirs : ['/opt/cni/bin', '/usr/lib/cni'];
}

/** The community plugins present in any of the directories. */
export const findCniPlugins = (dirs: string[]): string[] => CNI_PLUGINS.filter((plugin) => dirs.some((dir) => existsSync(`${dir}/${plugin}`)));

/** SPEC §6: on the uplink, all, default and the encap device. */
const INTERFACE_SYSCTLS: [string, string][] = [
  ['net.ipv4.conf.IF.forwarding', '1'],
  ['net.ipv4.conf.IF.rp_filter', '0'],
  ['net.ipv6.conf.IF.forwarding', '1'],
  ['net.ipv6.conf.IF.accept_ra', '0'],
  ['net.ipv6.conf.IF.autoconf', '0'],
  ['net.ipv6.conf.IF.seg6_enabled', '1'],
];
const STRICT_MODE = 'net.vrf.strict_mode';

export const checkedInterfaces = (settings: PrerequisiteSettings, uplinks: string[]): string[] => [
  ...new Set(['all', 'default', settings.encapDevice, ...uplinks]),
];

/** The sysctls that must have a value, by key. */
export function requiredSysctls(interfaces: string[]): Record<string, string> {
  const required: Record<string, string> = { [STRICT_MODE]: '1' };
  for (const ifc of interfaces) for (const [key, value] of INTERFACE_SYSCTLS) required[key.replace('IF', ifc)] = value;
  return required;
}

/** Judges the facts: errors stop the agent, warnings are logged. */
export function evaluatePrerequisites(facts: HostFacts, settings: PrerequisiteSettings): { errors: Prerequisite[]; warnings: Prerequisite[] } {
  const errors: Prerequisite[] = [];
  const warnings: Prerequisite[] = [];
  const dev = settings.encapDevice;
  const loopback = loopbackSid(settings.srv6Net);

  const strict = facts.sysctls[STRICT_MODE];
  if (strict === undefined) {
    errors.push({ what: 'kernel module vrf is not loaded (and net.vrf.strict_mode must be 1 for End.DT46)', fix: `modprobe vrf && sysctl -w ${STRICT_MODE}=1` });
  } else if (strict !== '1') {
    errors.push({ what: `${STRICT_MODE} is ${strict}: End.DT46 with vrftable needs 1`, fix: `sysctl -w ${STRICT_MODE}=1` });
  }

  if (!facts.encapLink) {
    errors.push({ what: `link ${dev} does not exist`, fix: `ip link add ${dev} type dummy && ip link set ${dev} up` });
  } else if (!facts.encapLink.up) {
    errors.push({ what: `link ${dev} is down`, fix: `ip link set ${dev} up` });
  }
  if (!facts.encapLink?.addresses.includes(loopback)) {
    errors.push({ what: `${dev} lacks the node's SRv6 loopback address ${loopback}`, fix: `ip -6 addr add ${loopback}/128 dev ${dev}` });
  }
  if (facts.tunsrc === undefined || facts.tunsrc !== loopback) {
    errors.push({ what: `the seg6 tunnel source is ${facts.tunsrc ?? 'unknown'}, not ${loopback}`, fix: `ip sr tunsrc set ${loopback}` });
  }

  if (facts.uplinks.length === 0) {
    warnings.push({ what: 'no uplink found (no IPv6 route through a gateway): its sysctls are not checked', fix: 'add the underlay routes, e.g. ip -6 route add <peer srv6_net> via <peer address>' });
  }
  const required = requiredSysctls(checkedInterfaces(settings, facts.uplinks));
  const wrongByInterface = new Map<string, string[]>();
  for (const [key, want] of Object.entries(required)) {
    if (key === STRICT_MODE) continue;
    const have = facts.sysctls[key];
    if (have === want) continue;
    const ifc = key.split('.')[3]!;
    wrongByInterface.set(ifc, [...(wrongByInterface.get(ifc) ?? []), key]);
  }
  for (const [ifc, keys] of wrongByInterface) {
    const detail = keys.map((key) => `${key} is ${facts.sysctls[key] ?? 'missing'} (want ${required[key]})`).join(', ');
    errors.push({ what: `sysctls of ${ifc}: ${detail}`, fix: `sysctl -w ${keys.map((key) => `${key}=${required[key]}`).join(' ')}` });
  }

  if (facts.forward === undefined) {
    warnings.push({ what: 'ip6tables is not available: cannot check that FORWARD accepts the SRv6 prefixes', fix: 'install iptables' });
  } else if (!forwardAccepts(facts.forward, settings.srv6Net)) {
    errors.push({
      what: `the ip6tables FORWARD chain drops transit traffic to ${settings.srv6NetText}`,
      fix: `ip6tables -I FORWARD -d ${settings.srv6NetText} -j ACCEPT`,
    });
  }

  const missingPlugins = CNI_PLUGINS.filter((p) => !facts.cniPlugins.includes(p));
  if (missingPlugins.length > 0) {
    warnings.push({
      what: `community CNI plugins ${missingPlugins.join(', ')} not found in ${facts.cniPluginDirs.join(':')} (the galactic CNI plugin delegates to them)`,
      fix: 'install https://github.com/containernetworking/plugins into /opt/cni/bin, or set the agent\'s CNI_PATH to the directories the runtime passes the CNI plugin',
    });
  }
  if (!facts.cniConfigs.some((name) => /multus/i.test(name))) {
    warnings.push({ what: `no Multus configuration in ${CNI_CONF_DIR}`, fix: 'install Multus (https://github.com/k8snetworkplumbingwg/multus-cni)' });
  }
  return { errors, warnings };
}

/** Whether `ip6tables -S FORWARD` output accepts traffic to the node's SRv6 prefix. */
export function forwardAccepts(rules: string, net: Srv6Net): boolean {
  const ours = { family: 6 as const, address: net.prefix, prefixLength: net.prefixLength };
  for (const line of rules.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] === '-P' && words[1] === 'FORWARD') {
      if (words[2] === 'ACCEPT') return true;
      continue;
    }
    if (words[0] !== '-A' || words[1] !== 'FORWARD' || words.at(-1) !== 'ACCEPT' || words.at(-2) !== '-j') continue;
    const d = words.indexOf('-d');
    const destination = d >= 0 ? words[d + 1] : '::/0';
    if (words.some((w) => w === '-i' || w === '-o' || w === '-s' || w === '-p' || w === '-m')) continue;
    if (destination !== undefined && isCidr(destination) && cidrContains(parseCidr(destination), ours)) return true;
  }
  return false;
}

interface AddrEntry {
  ifname?: string;
  flags?: string[];
  addr_info?: { family?: string; local?: string }[];
}

/** Reads the facts from this host (the agent's network namespace). */
export async function gatherHostFacts(settings: PrerequisiteSettings, ip: IpRoute2 = ipRoute2()): Promise<HostFacts> {
  const dirs = cniPluginDirs();
  const facts: HostFacts = { sysctls: {}, uplinks: [], cniPluginDirs: dirs, cniPlugins: findCniPlugins(dirs), cniConfigs: [] };
  try {
    facts.cniConfigs = readdirSync(CNI_CONF_DIR);
  } catch {
    // no CNI configuration directory
  }
  const [addresses, routes, tunsrc, forward] = await Promise.all([
    ip.json<AddrEntry[]>(['addr', 'show', 'dev', settings.encapDevice]).catch(() => undefined),
    ip.json<{ dev?: string; gateway?: string; dst?: string }[]>(['-6', 'route', 'show']).catch(() => []),
    ip.run(['sr', 'tunsrc', 'show']).catch(() => undefined),
    run(['ip6tables', '-S', 'FORWARD']).catch(() => undefined),
  ]);
  const link = addresses?.[0];
  if (link) {
    facts.encapLink = {
      up: (link.flags ?? []).includes('UP'),
      addresses: (link.addr_info ?? []).filter((a) => a.family === 'inet6' && a.local).map((a) => canonicalAddress(a.local!)),
    };
  }
  const source = tunsrc === undefined ? undefined : /tunsrc addr (\S+)/.exec(tunsrc)?.[1];
  if (source !== undefined) facts.tunsrc = canonicalAddress(source);
  if (forward !== undefined) facts.forward = forward;
  const excluded = (dev: string): boolean => dev === 'lo' || dev === settings.encapDevice || dev.startsWith('G');
  facts.uplinks = [...new Set(routes.filter((r) => r.gateway !== undefined && r.dev !== undefined && !excluded(r.dev)).map((r) => r.dev!))].sort();
  const keys = Object.keys(requiredSysctls(checkedInterfaces(settings, facts.uplinks)));
  const values = await Promise.all(keys.map((key) => readSysctl(key).catch(() => undefined)));
  keys.forEach((key, i) => (facts.sysctls[key] = values[i]));
  return facts;
}

export async function checkPrerequisites(settings: PrerequisiteSettings): Promise<{ errors: Prerequisite[]; warnings: Prerequisite[] }> {
  return evaluatePrerequisites(await gatherHostFacts(settings), settings);
}

/** The startup error: every missing prerequisite and its fix. */
export function formatPrerequisiteErrors(errors: Prerequisite[]): string {
  return [
    `this host is missing ${errors.length} prerequisite${errors.length === 1 ? '' : 's'} of the agent (SPEC §6); fix them and start again:`,
    ...errors.flatMap((p) => [`  - ${p.what}`, `      fix: ${p.fix}`]),
  ].join('\n');
}
