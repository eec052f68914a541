// What an attachment is in the kernel (SPEC §5), computed from its config:
// link names, the VRF table choice, the ip(8) batch lines, sysctls, the
// FORWARD rule, what host-device gets and what the agent is told. Pure: the
// commands (add.ts, del.ts, …) run these against the kernel.
import { guestVethName, hostVethName, vrfName } from '../lib/names.js';
import { hostRoute } from '../lib/ip.js';
import { type NetConf, type Termination, isValidContainerId, isValidIfname } from './config.js';

/** Tables 253 (default), 254 (main) and 255 (local) belong to the kernel. */
export const RESERVED_TABLES: ReadonlySet<number> = new Set([253, 254, 255]);
export const MAX_TABLE = 0xffffffff;

export interface AttachmentNames {
  vrf: string;
  host: string;
  guest: string;
}

export function namesOf(conf: Pick<NetConf, 'vpc' | 'attachment'>): AttachmentNames {
  return { vrf: vrfName(conf.vpc, conf.attachment), host: hostVethName(conf.vpc, conf.attachment), guest: guestVethName(conf.vpc, conf.attachment) };
}

/** Lowest table id ≥ 1 not in `used`, skipping 253-255. */
export function allocateTable(used: Iterable<number>): number {
  const taken = new Set(used);
  for (let table = 1; table <= MAX_TABLE; table++) {
    if (!RESERVED_TABLES.has(table) && !taken.has(table)) return table;
  }
  throw new Error('no free routing table id');
}

/**
 * The alias written on the VRF and host veth: which container owns them (for
 * DEL, CHECK and GC). It goes into `ip -batch` lines, where '#' starts a
 * comment and quotes or whitespace split words: parseEnvironment refuses such
 * values, and this refuses them again rather than write a truncated owner.
 */
export function ownerAlias(containerId: string, ifname: string): string {
  if (!isValidContainerId(containerId) || !isValidIfname(ifname)) {
    throw new Error(`cannot write the owner of container ${JSON.stringify(containerId)} interface ${JSON.stringify(ifname)} into an ip batch line`);
  }
  return `galactic:${containerId}:${ifname}`;
}

export function parseOwnerAlias(alias: string | undefined): { containerId: string; ifname: string } | undefined {
  const match = /^galactic:([^:]+):([^:]+)$/.exec(alias ?? '');
  return match ? { containerId: match[1]!, ifname: match[2]! } : undefined;
}

export const SYSCTL_VALUES = (link: string): Array<[key: string, value: string]> => [
  [`net.ipv4.conf.${link}.rp_filter`, '0'],
  [`net.ipv4.conf.${link}.forwarding`, '1'],
  [`net.ipv6.conf.${link}.forwarding`, '1'],
  [`net.ipv4.conf.${link}.proxy_arp`, '1'],
  [`net.ipv6.conf.${link}.proxy_ndp`, '1'],
];

/** The sysctls on the VRF and the host veth. */
export function sysctlsOf(names: AttachmentNames): Array<[key: string, value: string]> {
  return [...SYSCTL_VALUES(names.vrf), ...SYSCTL_VALUES(names.host)];
}

/** `ip route` arguments (without add/del) of a termination in table T. */
export function terminationRoute(termination: Termination, names: AttachmentNames, table: number): string {
  if (termination.via !== undefined) return `${termination.network} via ${termination.via} table ${table}`;
  return `${termination.network} dev ${names.host}${termination.family === 4 ? ' scope link' : ''} table ${table}`;
}

/** Routes without via come first: a via is resolved through them. */
export function orderedTerminations(terminations: Termination[]): Termination[] {
  return [...terminations.filter((t) => t.via === undefined), ...terminations.filter((t) => t.via !== undefined)];
}

export interface AddBatches {
  /**
   * For `ip -6 -batch -`, run under the table lock: the VRF (with its owner
   * alias) on table T, the IPv6 flush of T, the veth pair, enslaving, links
   * up, IPv6 termination routes.
   */
  links: string[];
  /** For `ip -4 -batch -`: the IPv4 flush of T and the IPv4 termination routes. */
  ipv4: string[];
}

export function addBatches(conf: NetConf, names: AttachmentNames, table: number, owner: string): AddBatches {
  const routes = orderedTerminations(conf.terminations);
  return {
    links: [
      `link add ${names.vrf} type vrf table ${table}`,
      `link set dev ${names.vrf} alias ${owner}`,
      `route flush table ${table}`,
      `link add ${names.host} mtu ${conf.mtu} type veth peer name ${names.guest} mtu ${conf.mtu}`,
      `link set dev ${names.host} alias ${owner}`,
      `link set dev ${names.host} master ${names.vrf}`,
      `link set dev ${names.vrf} up`,
      `link set dev ${names.host} up`,
      `link set dev ${names.guest} up`,
      ...routes.filter((t) => t.family === 6).map((t) => `route add ${terminationRoute(t, names, table)}`),
    ],
    ipv4: [`route flush table ${table}`, ...routes.filter((t) => t.family === 4).map((t) => `route add ${terminationRoute(t, names, table)}`)],
  };
}

/** The FORWARD rule's match, for -I FORWARD 1, -D FORWARD and -C FORWARD. */
export const forwardRule = (names: AttachmentNames): string[] => ['-o', names.host, '-j', 'ACCEPT'];

/** What the agent is told (SPEC §7): each address as /32 or /128, then every termination with a via. */
export function registrationNetworks(conf: Pick<NetConf, 'addresses' | 'terminations'>): string[] {
  const networks = [...conf.addresses.map((a) => hostRoute(a.address)), ...conf.terminations.filter((t) => t.via !== undefined).map((t) => t.network)];
  return [...new Set(networks)];
}

export interface RegistrationRequest {
  vpc: string;
  vpcattachment: string;
  networks: string[];
}

export function registrationOf(conf: NetConf): RegistrationRequest {
  return { vpc: conf.vpcHex, vpcattachment: conf.attachmentHex, networks: registrationNetworks(conf) };
}

/** The config host-device runs with: our guest veth end as its device, the same IPAM. */
export function hostDeviceConfig(conf: NetConf, names: AttachmentNames, cniVersion: string, prevResult?: unknown): Record<string, unknown> {
  return {
    cniVersion,
    name: conf.name ?? `galactic-${conf.vpcHex}-${conf.attachmentHex}`,
    type: 'host-device',
    device: names.guest,
    ipam: conf.ipam,
    ...(conf.runtimeConfig !== undefined ? { runtimeConfig: conf.runtimeConfig } : {}),
    ...(conf.args !== undefined ? { args: conf.args } : {}),
    ...(prevResult !== undefined ? { prevResult } : {}),
  };
}
