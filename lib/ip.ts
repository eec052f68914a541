// IPv4/IPv6 addresses and CIDR prefixes as bigints, so SID arithmetic and
// prefix checks are exact for 128-bit values.

export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  /** The address as written (host bits kept), e.g. 10.1.1.1 of 10.1.1.1/24. */
  address: bigint;
  prefixLength: number;
}

export class InvalidAddressError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`invalid address ${JSON.stringify(input)}: ${reason}`);
    this.name = 'InvalidAddressError';
  }
}

export const familyBits = (family: Family): number => (family === 4 ? 32 : 128);

const OCTET = /^(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

// Parsed and formatted through plain numbers and one BigInt conversion: these
// run several times per message on the router's hot path.
function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return BigInt(value);
}

function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = toGroups(halves[0] ?? '');
  const right = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
  let hex = '0x';
  for (const group of groups) {
    if (!HEX_GROUP.test(group)) return undefined;
    hex += group.padStart(4, '0');
  }
  let value = BigInt(hex);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses an IPv4 or IPv6 address (no prefix). */
export function parseAddress(text: string): { family: Family; value: bigint } {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (text.includes(':')) {
    const v6 = parseIPv6(text);
    if (v6 !== undefined) return { family: 6, value: v6 };
  }
  throw new InvalidAddressError(text, 'expected an IPv4 (192.0.2.1) or IPv6 (2001:db8::1) address');
}

export function isAddress(text: string, family?: Family): boolean {
  try {
    const parsed = parseAddress(text);
    return family === undefined || parsed.family === family;
  } catch {
    return false;
  }
}

/** Formats an address canonically (RFC 5952 for IPv6: lowercase, longest zero run compressed). */
export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  const digits = value.toString(16).padStart(32, '0');
  const groups = Array.from({ length: 8 }, (_, i) => parseInt(digits.slice(4 * i, 4 * i + 4), 16));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

/** Parses `address/prefixLength`; a bare address is rejected unless allowBare. */
export function parseCidr(text: string, { allowBare = false } = {}): Cidr {
  const slash = text.indexOf('/');
  if (slash < 0 && !allowBare) {
    throw new InvalidAddressError(text, 'expected address/prefix-length, e.g. 10.1.1.0/24 or 2001:db8::/64');
  }
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const { family, value } = parseAddress(addressText);
  const bits = familyBits(family);
  let prefixLength = bits;
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(lengthText) || Number(lengthText) > bits) {
      throw new InvalidAddressError(text, `prefix length must be 0..${bits}`);
    }
    prefixLength = Number(lengthText);
  }
  return { family, address: value, prefixLength };
}

export function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

export function prefixMask(family: Family, prefixLength: number): bigint {
  const bits = BigInt(familyBits(family));
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(prefixLength))) & all;
}

/** The network of a prefix: host bits cleared. */
export function networkOf(cidr: Cidr): Cidr {
  return { ...cidr, address: cidr.address & prefixMask(cidr.family, cidr.prefixLength) };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.family, cidr.address)}/${cidr.prefixLength}`;
}

/** Canonical network string: `10.1.1.1/24` ⇒ `10.1.1.0/24`, `2001:DB8:0::1/64` ⇒ `2001:db8::/64`. */
export function normalizeCidr(text: string): string {
  return formatCidr(networkOf(parseCidr(text)));
}

/** The host route (/32 or /128) of an address given with or without prefix length. */
export function hostRoute(text: string): string {
  const cidr = parseCidr(text, { allowBare: true });
  return formatCidr({ ...cidr, prefixLength: familyBits(cidr.family) });
}

export function isHostPrefix(cidr: Cidr): boolean {
  return cidr.prefixLength === familyBits(cidr.family);
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefixLength < outer.prefixLength) return false;
  const mask = prefixMask(outer.family, outer.prefixLength);
  return (outer.address & mask) === (inner.address & mask);
}
