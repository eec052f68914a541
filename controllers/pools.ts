// Address pools of template VPCAttachments (issue 9), pure: which addresses a
// pool offers, which are held, a random free one, and the reservation names
// that make the API server the arbiter of who holds what.
import { randomBytes } from 'node:crypto';
import { type Cidr, type Family, cidrContains, familyBits, formatAddress, networkOf, parseCidr } from '../lib/ip.js';

/**
 * The addresses a pool offers pods: IPv4 without the network and broadcast
 * addresses, IPv6 without the subnet-router anycast address (the network).
 */
export function poolRange(pool: Cidr): { first: bigint; last: bigint } {
  const network = networkOf(pool).address;
  const hostBits = BigInt(familyBits(pool.family) - pool.prefixLength);
  const top = network + (1n << hostBits) - 1n;
  return pool.family === 4 ? { first: network + 1n, last: top - 1n } : { first: network + 1n, last: top };
}

export const poolSize = (pool: Cidr): bigint => {
  const { first, last } = poolRange(pool);
  return last >= first ? last - first + 1n : 0n;
};

const inRange = (pool: Cidr, value: bigint): boolean => {
  const { first, last } = poolRange(pool);
  return value >= first && value <= last;
};

/** How many of `held` (address values of the pool's family) lie in the pool's range. */
export const heldIn = (pool: Cidr, held: ReadonlySet<bigint>): number => {
  let count = 0;
  for (const value of held) if (inRange(pool, value)) count++;
  return count;
};

const RANDOM_TRIES = 32;

function randomBelow(size: bigint, random: (bytes: number) => Buffer): bigint {
  const bytes = Math.max(1, Math.ceil(size.toString(2).length / 8) + 1);
  return BigInt(`0x${random(bytes).toString('hex')}`) % size;
}

/**
 * A free address of the pool (not in `taken`), picked at random so that
 * concurrent allocators rarely want the same one; undefined when the pool is
 * exhausted. Crowded small pools are walked from a random start.
 */
export function pickAddress(pool: Cidr, taken: ReadonlySet<bigint>, random: (bytes: number) => Buffer = randomBytes): bigint | undefined {
  const { first } = poolRange(pool);
  const size = poolSize(pool);
  if (size === 0n) return undefined;
  for (let i = 0; i < RANDOM_TRIES; i++) {
    const candidate = first + randomBelow(size, random);
    if (!taken.has(candidate)) return candidate;
  }
  if (BigInt(heldIn(pool, taken)) >= size) return undefined;
  const start = randomBelow(size, random);
  for (let step = 0n; step < size; step++) {
    const candidate = first + ((start + step) % size);
    if (!taken.has(candidate)) return candidate;
  }
  return undefined;
}

/** The pod's address as written in a reservation and handed to Multus: address/pool-prefix. */
export const addressInPool = (pool: Cidr, value: bigint): string => `${formatAddress(pool.family, value)}/${pool.prefixLength}`;

/** Pools grouped by family, in the order written. */
export function poolsByFamily(pools: string[]): Map<Family, Cidr[]> {
  const byFamily = new Map<Family, Cidr[]>();
  for (const text of pools) {
    const cidr = parseCidr(text);
    byFamily.set(cidr.family, [...(byFamily.get(cidr.family) ?? []), cidr]);
  }
  return byFamily;
}

/** The pool of `pools` holding `address` (host value), if any. */
export const poolOf = (pools: Cidr[], family: Family, value: bigint): Cidr | undefined =>
  pools.find((pool) => pool.family === family && cidrContains(networkOf(pool), { family, address: value, prefixLength: familyBits(family) }));

/**
 * The VPCAddress name of an address in a VPC: `<vpc hex>-4-10-1-1-7` or
 * `<vpc hex>-6-<32 hex digits>`, one name per (VPC, address) whatever the
 * prefix length or notation, so the API server refuses a second holder.
 */
export function addressReservationName(vpcHex: string, family: Family, value: bigint): string {
  if (family === 4) return `${vpcHex}-4-${formatAddress(4, value).replaceAll('.', '-')}`;
  return `${vpcHex}-6-${value.toString(16).padStart(32, '0')}`;
}

/** The VPCEndpoint name of an endpoint identifier in a VPC: `<vpc hex>-<4 hex>`. */
export const endpointReservationName = (vpcHex: string, endpointHex: string): string => `${vpcHex}-${endpointHex}`;
