// SRv6 endpoint (SID) encoding, SPEC §4: the node's srv6_net with its low 64
// bits set to (vpc << 16) | attachment.
import { ATTACHMENT_ID_BITS, VPC_ID_BITS, maxValue } from './identifiers.js';
import { formatAddress, parseAddress, parseCidr, prefixMask } from './ip.js';

const LOW64 = maxValue(64);

export interface SidParts {
  vpc: bigint;
  attachment: bigint;
}

export interface Srv6Net {
  prefix: bigint;
  prefixLength: number;
}

/** Parses a node's SRv6 prefix; it must be IPv6 and at most /64. */
export function parseSrv6Net(text: string): Srv6Net {
  const cidr = parseCidr(text);
  if (cidr.family !== 6) throw new Error(`srv6_net ${JSON.stringify(text)} must be an IPv6 prefix, e.g. 2001:db8:ff01::/48`);
  if (cidr.prefixLength > 64) throw new Error(`srv6_net ${JSON.stringify(text)} must be /64 or shorter: the low 64 bits carry vpc and attachment`);
  return { prefix: cidr.address & prefixMask(6, cidr.prefixLength), prefixLength: cidr.prefixLength };
}

export function encodeSid(net: Srv6Net, parts: SidParts): string {
  if (parts.vpc < 0n || parts.vpc > maxValue(VPC_ID_BITS)) throw new RangeError(`vpc ${parts.vpc} exceeds 48 bits`);
  if (parts.attachment < 0n || parts.attachment > maxValue(ATTACHMENT_ID_BITS)) {
    throw new RangeError(`attachment ${parts.attachment} exceeds 16 bits`);
  }
  const low = (parts.vpc << 16n) | parts.attachment;
  return formatAddress(6, (net.prefix & ~LOW64) | low);
}

/** Decodes vpc and attachment from any IPv6 SID (only its low 64 bits matter). */
export function decodeSid(sid: string): SidParts {
  const { family, value } = parseAddress(sid);
  if (family !== 6) throw new Error(`SID ${JSON.stringify(sid)} must be an IPv6 address`);
  const low = value & LOW64;
  return { vpc: low >> 16n, attachment: low & maxValue(ATTACHMENT_ID_BITS) };
}

/** Whether a SID lies inside the node's srv6_net. */
export function sidBelongsTo(net: Srv6Net, sid: string): boolean {
  const { family, value } = parseAddress(sid);
  return family === 6 && (value & prefixMask(6, net.prefixLength)) === net.prefix;
}

/** The node's own SRv6 loopback: the reserved all-ones vpc and attachment. */
export function loopbackSid(net: Srv6Net): string {
  return encodeSid(net, { vpc: maxValue(VPC_ID_BITS), attachment: maxValue(ATTACHMENT_ID_BITS) });
}
