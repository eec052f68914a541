// VPC (48-bit) and attachment (16-bit) identifiers: hex and base62 forms,
// random generation that avoids the reserved values 0 and all-ones.
import { randomBytes } from 'node:crypto';

export const VPC_ID_BITS = 48;
export const ATTACHMENT_ID_BITS = 16;

const BASE62_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function maxValue(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

export function isReservedIdentifier(value: bigint, bits: number): boolean {
  return value === 0n || value === maxValue(bits);
}

/** Zero-padded lowercase hex of `bits/4` digits: 1234 (48 bit) ⇒ `0000000004d2`. */
export function formatHexIdentifier(value: bigint, bits: number): string {
  if (value < 0n || value > maxValue(bits)) throw new RangeError(`identifier ${value} does not fit in ${bits} bits`);
  return value.toString(16).padStart(bits / 4, '0');
}

/** Parses a hex identifier of at most `bits` bits (leading zeros optional). */
export function parseHexIdentifier(text: string, bits: number, what = 'identifier'): bigint {
  if (!/^[0-9a-fA-F]+$/.test(text) || text.length > bits / 4) {
    throw new Error(`${what} ${JSON.stringify(text)} must be 1-${bits / 4} hex digits`);
  }
  return BigInt(`0x${text}`);
}

/** Random identifier in [1, 2^bits - 2]. */
export function randomIdentifier(bits: number, random: (bytes: number) => Buffer = randomBytes): bigint {
  const bytes = Math.ceil(bits / 8);
  for (;;) {
    const value = BigInt(`0x${random(bytes).toString('hex')}`) & maxValue(bits);
    if (!isReservedIdentifier(value, bits)) return value;
  }
}

/** Base62 with alphabet 0-9a-zA-Z, no padding: 1234 ⇒ `jU`, 42 ⇒ `G`, 0 ⇒ `0`. */
export function toBase62(value: bigint): string {
  if (value < 0n) throw new RangeError('base62 of a negative value');
  if (value === 0n) return '0';
  let out = '';
  for (let rest = value; rest > 0n; rest /= 62n) out = BASE62_ALPHABET[Number(rest % 62n)] + out;
  return out;
}

export function fromBase62(text: string): bigint {
  if (!/^[0-9a-zA-Z]+$/.test(text)) throw new Error(`${JSON.stringify(text)} is not base62 (0-9a-zA-Z)`);
  let value = 0n;
  for (const char of text) value = value * 62n + BigInt(BASE62_ALPHABET.indexOf(char));
  return value;
}

export const hexToBase62 = (hex: string): string => toBase62(BigInt(`0x${hex}`));
export const base62ToHex = (text: string, bits: number): string => formatHexIdentifier(fromBase62(text), bits);
