// Input validation of what a worker sends the router: its name (the topic
// segment), endpoints, networks and the message size. Every check throws
// `Rejected` with a reason (the metric label) and a message that names the
// field and the fix; values quoted in messages are truncated, so a hostile
// payload never reaches a log line whole.
import { formatHexIdentifier, VPC_ID_BITS } from '../lib/identifiers.js';
import { type Cidr, formatAddress, formatCidr, networkOf, parseAddress, parseCidr } from '../lib/ip.js';

export type RejectReason = 'payload' | 'size' | 'topic' | 'worker' | 'endpoint' | 'network' | 'kind' | 'ownership' | 'quota';

export class Rejected extends Error {
  override name = 'Rejected';
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

/** Default limit on one MQTT message, in the router and in `galactic broker`. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

/** Longest value quoted in an error or log line. */
export const QUOTE_LIMIT = 80;

/** A value cut to QUOTE_LIMIT characters, for a log field. */
export function clip(value: string): string {
  return value.length <= QUOTE_LIMIT ? value : `${value.slice(0, QUOTE_LIMIT)}… (${value.length} characters)`;
}

/** JSON-quotes a value for an error message, cut to QUOTE_LIMIT characters. */
export function quote(value: string): string {
  return value.length <= QUOTE_LIMIT ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, QUOTE_LIMIT))}… (${value.length} characters)`;
}

/** Worker names: the topic segment, the broker username, a Kubernetes node name. */
export const WORKER_NAME = /^[A-Za-z0-9._-]{1,253}$/;

export function checkWorkerName(worker: string): string {
  if (!WORKER_NAME.test(worker)) throw new Rejected('worker', `worker name ${quote(worker)} must be 1 to 253 characters of A-Z a-z 0-9 . _ -`);
  return worker;
}

export function checkMessageSize(bytes: number, limit: number): void {
  if (bytes > limit) throw new Rejected('size', `message of ${bytes} bytes exceeds the limit of ${limit} bytes (--max-message-bytes)`);
}

/** The VPC (12 hex digits) and canonical form of an endpoint; it must be IPv6. */
export function parseEndpoint(endpoint: string): { vpc: string; endpoint: string } {
  let parsed: { family: 4 | 6; value: bigint } | undefined;
  try {
    parsed = parseAddress(endpoint);
  } catch {
    parsed = undefined;
  }
  if (parsed?.family !== 6) throw new Rejected('endpoint', `srv6_endpoint ${quote(endpoint)} is not an IPv6 address`);
  const vpc = (parsed.value >> 16n) & ((1n << BigInt(VPC_ID_BITS)) - 1n);
  return { vpc: formatHexIdentifier(vpc, VPC_ID_BITS), endpoint: formatAddress(6, parsed.value) };
}

/**
 * A network must be canonical `address/prefix` (SPEC §9: no host bits,
 * lower-case compressed IPv6), so one network has one spelling in the store
 * and a later DELETE names exactly what was added.
 */
export function checkNetwork(network: string): string {
  let cidr: Cidr;
  try {
    cidr = parseCidr(network);
  } catch {
    throw new Rejected('network', `network ${quote(network)} is not address/prefix-length, e.g. 10.1.1.0/24`);
  }
  const canonical = formatCidr(networkOf(cidr));
  if (canonical === network) return network;
  const why = networkOf(cidr).address !== cidr.address ? 'has host bits set' : 'is not in canonical form (lower-case, compressed)';
  throw new Rejected('network', `network ${quote(network)} ${why}; send ${canonical}`);
}
