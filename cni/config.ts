// The plugin's inputs: CNI_* environment variables and the network
// configuration on stdin (SPEC §3, one plugin entry of the NAD's conflist as
// the runtime or Multus hands it over; also the original Go operator's
// entries: cniVersion 0.4.0, no name). Every problem is reported at once,
// naming the field and what to write instead.
import { ATTACHMENT_ID_BITS, VPC_ID_BITS, formatHexIdentifier, fromBase62, isReservedIdentifier, maxValue } from '../lib/identifiers.js';
import { type Family, cidrContains, isHostPrefix, networkOf, parseAddress, parseCidr, formatCidr, formatAddress } from '../lib/ip.js';
import { CniError, ErrorCode } from './errors.js';
import { compareVersions, requireSupportedVersion } from './result.js';

export const COMMANDS = ['ADD', 'DEL', 'CHECK', 'VERSION', 'STATUS', 'GC'] as const;
export type CniCommand = (typeof COMMANDS)[number];

export const DEFAULT_MTU = 1372;
export const DEFAULT_AGENT_SOCKET = '/var/run/galactic/agent.sock';
export const DEFAULT_RUN_DIR = '/var/run/galactic';
/** Directory of the VRF table lock; tests point it elsewhere. */
export const LOCK_DIR_ENV = 'GALACTIC_CNI_LOCK_DIR';

export interface CniEnvironment {
  command: CniCommand;
  containerId: string;
  netns: string;
  ifname: string;
  /** CNI_PATH split on ':' (empty entries dropped). */
  path: string[];
  args: string;
}

const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const isValidContainerId = (id: string): boolean => CONTAINER_ID.test(id);
/** IFNAMSIZ - 1: the kernel's limit, in bytes. */
const IFNAME_MAX_BYTES = 15;
export const IFNAME_RULE = `1-${IFNAME_MAX_BYTES} bytes, not "." or "..", without '/', ':', '#', quotes, backslashes, whitespace or control characters (e.g. net1)`;

/**
 * Why `name` cannot be an interface name, or undefined when it can. The
 * kernel's rule (dev_valid_name: ≤ 15 bytes, not empty, "." or "..", no '/',
 * ':' or whitespace), plus what ip(8) batch lines cannot carry: '#' starts a
 * comment there and quotes and backslashes change the words, so the owner
 * alias written on the links could not be read back.
 */
export function ifnameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (Buffer.byteLength(name, 'utf8') > IFNAME_MAX_BYTES) return `it is ${Buffer.byteLength(name, 'utf8')} bytes long`;
  if (name === '.' || name === '..') return `"${name}" names a directory`;
  const bad = /[/:#"'\\\s\p{Cc}]/u.exec(name);
  return bad ? `it contains ${JSON.stringify(bad[0])}` : undefined;
}

export const isValidIfname = (name: string): boolean => ifnameProblem(name) === undefined;

/** Where a configuration problem is fixed, for the details of code 7. */
const CONFIG_FIX =
  "fix the galactic entry of the network configuration (the NetworkAttachmentDefinition the operator writes from the VPC and VPCAttachment, or the runtime's conflist)";
const ENVIRONMENT_FIX = 'the container runtime (or Multus) sets these variables: fix its invocation of the plugin';

/** Reads and checks CNI_* for the command (code 4 naming every bad variable). */
export function parseEnvironment(env: NodeJS.ProcessEnv): CniEnvironment {
  const command = env.CNI_COMMAND ?? '';
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new CniError(ErrorCode.InvalidEnvironment, `CNI_COMMAND ${JSON.stringify(command)} is not one of ${COMMANDS.join(', ')}`, `CNI_COMMAND: set one of ${COMMANDS.join(', ')}`);
  }
  const out: CniEnvironment = {
    command: command as CniCommand,
    containerId: env.CNI_CONTAINERID ?? '',
    netns: env.CNI_NETNS ?? '',
    ifname: env.CNI_IFNAME ?? '',
    path: (env.CNI_PATH ?? '').split(':').filter((p) => p !== ''),
    args: env.CNI_ARGS ?? '',
  };
  const problems: string[] = [];
  const attachmentCommand = command === 'ADD' || command === 'DEL' || command === 'CHECK';
  if (attachmentCommand) {
    if (out.containerId === '') problems.push('CNI_CONTAINERID is not set (the container id)');
    else if (!isValidContainerId(out.containerId)) problems.push(`CNI_CONTAINERID ${JSON.stringify(out.containerId)} may hold only letters, digits, '_', '.' and '-'`);
    if (out.ifname === '') problems.push('CNI_IFNAME is not set (the interface name inside the container, e.g. galactic0)');
    else {
      const why = ifnameProblem(out.ifname);
      if (why) problems.push(`CNI_IFNAME ${JSON.stringify(out.ifname)} is not a valid interface name: ${why} (${IFNAME_RULE})`);
    }
  }
  if ((command === 'ADD' || command === 'CHECK') && out.netns === '') problems.push('CNI_NETNS is not set (path of the container network namespace, e.g. /var/run/netns/pod)');
  if ((command === 'ADD' || command === 'CHECK') && out.path.length === 0) problems.push('CNI_PATH is not set (directories holding the CNI plugins, e.g. /opt/cni/bin)');
  if (problems.length) throw new CniError(ErrorCode.InvalidEnvironment, problems.join('; '), [ENVIRONMENT_FIX, ...problems.map((p) => `- ${p}`)].join('\n'));
  return out;
}

export interface Termination {
  /** Normalised network, e.g. 10.1.1.0/24. */
  network: string;
  family: Family;
  via?: string;
}

export interface StaticAddress {
  /** As configured, e.g. 10.1.1.1/24. */
  address: string;
  family: Family;
}

export interface ValidAttachment {
  containerID: string;
  ifname: string;
}

export interface NetConf {
  cniVersion: string;
  /** Absent in the Go operator's configs. */
  name?: string;
  vpc: bigint;
  attachment: bigint;
  vpcHex: string;
  attachmentHex: string;
  mtu: number;
  terminations: Termination[];
  addresses: StaticAddress[];
  /** The IPAM section as written: handed to host-device unchanged. */
  ipam: Record<string, unknown>;
  agentSocket: string;
  prevResult?: unknown;
  runtimeConfig?: unknown;
  args?: unknown;
  /** GC: `cni.dev/valid-attachments`. */
  validAttachments?: ValidAttachment[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Parses stdin text; a whole conflist is accepted too (its galactic entry is used). */
export function parseConfigText(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CniError(ErrorCode.DecodingFailure, `the network configuration on stdin is not JSON: ${(error as Error).message}`, `stdin: ${CONFIG_FIX}; it must be one JSON object`);
  }
  if (!isObject(parsed)) throw new CniError(ErrorCode.DecodingFailure, 'the network configuration on stdin must be a JSON object', `stdin: ${CONFIG_FIX}; it must be one JSON object`);
  if (Array.isArray(parsed.plugins)) {
    const plugin = (parsed.plugins as unknown[]).find((p) => isObject(p) && p.type === 'galactic');
    if (!isObject(plugin)) throw new CniError(ErrorCode.InvalidConfig, 'the configuration list has no plugin with "type": "galactic"', `plugins: ${CONFIG_FIX}; add an entry with "type": "galactic"`);
    return { ...plugin, cniVersion: parsed.cniVersion, ...(parsed.name !== undefined ? { name: parsed.name } : {}) };
  }
  return parsed;
}

/** Only what every command needs: the version (code 1 if unsupported). */
export function configVersion(raw: Record<string, unknown>): string {
  if (typeof raw.cniVersion !== 'string' || raw.cniVersion === '') {
    throw new CniError(ErrorCode.InvalidConfig, `cniVersion must be a version string such as "1.0.0", got ${show(raw.cniVersion)}`, `cniVersion: ${CONFIG_FIX}; set e.g. "cniVersion": "1.0.0"`);
  }
  requireSupportedVersion(raw.cniVersion);
  return raw.cniVersion;
}

export function agentSocketOf(raw: Record<string, unknown>): string {
  return typeof raw.agent_socket === 'string' && raw.agent_socket !== '' ? raw.agent_socket : DEFAULT_AGENT_SOCKET;
}

function parseIdentifier(value: unknown, field: string, bits: number, digits: number, problems: string[]): bigint | undefined {
  const what = bits === VPC_ID_BITS ? 'VPC' : 'attachment';
  if (typeof value !== 'string' || !/^[0-9a-zA-Z]+$/.test(value) || value.length > digits) {
    problems.push(`${field} must be the ${what} identifier in base62 (1-${digits} characters of 0-9a-zA-Z, as in the VPC${bits === VPC_ID_BITS ? '' : 'Attachment'}'s status.identifier), got ${show(value)}`);
    return undefined;
  }
  const id = fromBase62(value);
  if (id > maxValue(bits)) {
    problems.push(`${field} ${JSON.stringify(value)} exceeds ${bits} bits`);
    return undefined;
  }
  if (isReservedIdentifier(id, bits)) {
    problems.push(`${field} ${JSON.stringify(value)} is a reserved identifier (0 and all-ones are never assigned)`);
    return undefined;
  }
  return id;
}

/** Parses a string field with `parse`; a problem (naming the field and an example) instead of a throw. */
function parseStringField<T>(value: unknown, field: string, problems: string[], parse: (text: string) => T, expected: string): T | undefined {
  if (typeof value !== 'string') {
    problems.push(`${field} must be ${expected}, got ${show(value)}`);
    return undefined;
  }
  try {
    return parse(value);
  } catch (error) {
    problems.push(`${field}: ${(error as Error).message}`);
    return undefined;
  }
}

const parseCidrField = (value: unknown, field: string, problems: string[]): ReturnType<typeof parseCidr> | undefined =>
  parseStringField(value, field, problems, (text) => parseCidr(text), 'a CIDR string such as "10.1.1.0/24" or "2001:db8::/64"');

const parseAddressField = (value: unknown, field: string, problems: string[]): { family: Family; value: bigint } | undefined =>
  parseStringField(value, field, problems, parseAddress, 'an IP address string such as "10.1.1.1"');

/** Validates a galactic plugin entry (code 7 naming every bad field). */
export function parseNetConf(raw: Record<string, unknown>): NetConf {
  const cniVersion = configVersion(raw);
  const problems: string[] = [];
  if (raw.name !== undefined && (typeof raw.name !== 'string' || raw.name === '')) problems.push(`name must be a non-empty string, got ${show(raw.name)}`);
  if (raw.type !== 'galactic') problems.push(`type must be "galactic", got ${show(raw.type)}`);
  const vpc = parseIdentifier(raw.vpc, 'vpc', VPC_ID_BITS, 9, problems);
  const attachment = parseIdentifier(raw.vpcattachment, 'vpcattachment', ATTACHMENT_ID_BITS, 3, problems);

  let mtu = DEFAULT_MTU;
  if (raw.mtu !== undefined) {
    if (typeof raw.mtu !== 'number' || !Number.isInteger(raw.mtu) || raw.mtu < 1280 || raw.mtu > 65535) {
      problems.push(`mtu must be an integer between 1280 and 65535 (default ${DEFAULT_MTU}: room for the outer IPv6 header and SRH), got ${show(raw.mtu)}`);
    } else mtu = raw.mtu;
  }
  if (raw.agent_socket !== undefined && (typeof raw.agent_socket !== 'string' || !raw.agent_socket.startsWith('/'))) {
    problems.push(`agent_socket must be an absolute path of the agent's unix socket (default ${DEFAULT_AGENT_SOCKET}), got ${show(raw.agent_socket)}`);
  }

  const addresses: StaticAddress[] = [];
  const addressCidrs: Array<ReturnType<typeof parseCidr>> = [];
  let ipam: Record<string, unknown> = {};
  if (!isObject(raw.ipam)) {
    problems.push(`ipam must be an object {"type": "static", "addresses": [{"address": "10.1.1.1/24"}]}, got ${show(raw.ipam)}`);
  } else {
    ipam = raw.ipam;
    if (ipam.type !== 'static') {
      problems.push(`ipam.type must be "static" (galactic registers the configured addresses with the agent), got ${show(ipam.type)}`);
    }
    if (!Array.isArray(ipam.addresses) || ipam.addresses.length === 0) {
      problems.push(`ipam.addresses must list at least one {"address": "10.1.1.1/24"}, got ${show(ipam.addresses)}`);
    } else {
      ipam.addresses.forEach((entry: unknown, i) => {
        const field = `ipam.addresses[${i}].address`;
        const text = isObject(entry) ? entry.address : undefined;
        if (typeof text === 'string' && !text.includes('/')) {
          problems.push(`${field} ${JSON.stringify(text)} needs a prefix length, e.g. "${text}/${text.includes(':') ? 64 : 24}"`);
          return;
        }
        const cidr = parseCidrField(text, field, problems);
        if (!cidr) return;
        if (addressCidrs.some((c) => c.family === cidr.family && c.address === cidr.address)) {
          problems.push(`${field} ${JSON.stringify(text)} is listed twice`);
          return;
        }
        addressCidrs.push(cidr);
        addresses.push({ address: text as string, family: cidr.family });
      });
    }
    if (ipam.routes !== undefined) {
      if (!Array.isArray(ipam.routes)) problems.push(`ipam.routes must be a list of {"dst": CIDR, "gw": IP}, got ${show(ipam.routes)}`);
      else {
        ipam.routes.forEach((entry: unknown, i) => {
          if (!isObject(entry)) {
            problems.push(`ipam.routes[${i}] must be an object {"dst": CIDR, "gw": IP}, got ${show(entry)}`);
            return;
          }
          const dst = parseCidrField(entry.dst, `ipam.routes[${i}].dst`, problems);
          if (entry.gw !== undefined) {
            const gw = parseAddressField(entry.gw, `ipam.routes[${i}].gw`, problems);
            if (dst && gw && dst.family !== gw.family) problems.push(`ipam.routes[${i}]: gw ${show(entry.gw)} is not of the same IP family as dst ${show(entry.dst)}`);
          }
        });
      }
    }
  }

  const terminations: Termination[] = [];
  if (raw.terminations !== undefined && !Array.isArray(raw.terminations)) {
    problems.push(`terminations must be a list of {"network": CIDR} or {"network": CIDR, "via": IP}, got ${show(raw.terminations)}`);
  } else {
    ((raw.terminations as unknown[] | undefined) ?? []).forEach((entry, i) => {
      if (!isObject(entry)) {
        problems.push(`terminations[${i}] must be an object {"network": CIDR, "via"?: IP}, got ${show(entry)}`);
        return;
      }
      const cidr = parseCidrField(entry.network, `terminations[${i}].network`, problems);
      if (!cidr) return;
      const network = formatCidr(networkOf(cidr));
      if (entry.via === undefined || entry.via === '') {
        terminations.push({ network, family: cidr.family });
        return;
      }
      const via = parseAddressField(entry.via, `terminations[${i}].via`, problems);
      if (!via) return;
      if (via.family !== cidr.family) {
        problems.push(`terminations[${i}]: via ${show(entry.via)} is not of the same IP family as network ${show(entry.network)}`);
        return;
      }
      const viaCidr = { family: via.family, address: via.value, prefixLength: via.family === 4 ? 32 : 128 };
      if (addressCidrs.length && !addressCidrs.some((a) => !isHostPrefix(a) && cidrContains(a, viaCidr))) {
        problems.push(`terminations[${i}].via ${show(entry.via)} is not inside the network of any ipam address (${addresses.map((a) => a.address).join(', ')}); the route to ${network} would have no reachable next hop`);
        return;
      }
      terminations.push({ network, family: cidr.family, via: formatAddress(via.family, via.value) });
    });
  }
  if (raw.terminations === undefined) {
    // Go operator configs may omit terminations: the address networks are still reachable through the host veth.
    for (const cidr of addressCidrs) terminations.push({ network: formatCidr(networkOf(cidr)), family: cidr.family });
  }

  let validAttachments: ValidAttachment[] | undefined;
  const valid = raw['cni.dev/valid-attachments'];
  if (valid !== undefined) {
    if (!Array.isArray(valid) || !valid.every((v) => isObject(v) && typeof v.containerID === 'string' && typeof v.ifname === 'string')) {
      problems.push(`cni.dev/valid-attachments must be a list of {"containerID": ..., "ifname": ...}, got ${show(valid)}`);
    } else {
      validAttachments = valid.map((v) => ({ containerID: v.containerID as string, ifname: v.ifname as string }));
      validAttachments.forEach(({ ifname }, i) => {
        const why = ifnameProblem(ifname);
        if (why) problems.push(`cni.dev/valid-attachments[${i}].ifname ${JSON.stringify(ifname)} is not a valid interface name: ${why} (${IFNAME_RULE})`);
      });
    }
  }

  if (problems.length || vpc === undefined || attachment === undefined) {
    throw new CniError(ErrorCode.InvalidConfig, `invalid galactic network configuration: ${problems.join('; ')}`, [CONFIG_FIX, ...problems.map((p) => `- ${p}`)].join('\n'));
  }
  return {
    cniVersion,
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    vpc,
    attachment,
    vpcHex: formatHexIdentifier(vpc, VPC_ID_BITS),
    attachmentHex: formatHexIdentifier(attachment, ATTACHMENT_ID_BITS),
    mtu,
    terminations,
    addresses,
    ipam,
    agentSocket: agentSocketOf(raw),
    ...(raw.prevResult !== undefined ? { prevResult: raw.prevResult } : {}),
    ...(raw.runtimeConfig !== undefined ? { runtimeConfig: raw.runtimeConfig } : {}),
    ...(raw.args !== undefined ? { args: raw.args } : {}),
    ...(validAttachments ? { validAttachments } : {}),
  };
}

/** CHECK exists from CNI 0.4.0 on, GC and STATUS from 1.1.0 (code 1 before). */
export function requireVersionAtLeast(version: string, minimum: string, command: string): void {
  if (compareVersions(version, minimum) < 0) {
    throw new CniError(
      ErrorCode.IncompatibleVersion,
      `${command} needs cniVersion ${minimum} or later, the configuration says ${version}`,
      `cniVersion: ${CONFIG_FIX}; set "cniVersion": "${minimum}" or later`,
    );
  }
}
