// Identifier allocation (SPEC §2): random, never 0 or all-ones, unique among
// the identifiers already taken. Pure: the caller supplies the taken set from a
// live list and writes the result with an optimistic-concurrency precondition.
import { formatHexIdentifier, isReservedIdentifier, maxValue, parseHexIdentifier, randomIdentifier } from '../lib/identifiers.js';

export class IdentifiersExhaustedError extends Error {
  override name = 'IdentifiersExhaustedError';
}

const RANDOM_TRIES = 64;

/** A free identifier as zero-padded hex (12 digits for 48 bits, 4 for 16). */
export function allocateIdentifier(
  taken: Iterable<string>,
  bits: number,
  random?: (bytes: number) => Buffer,
): string {
  const used = new Set<bigint>();
  for (const hex of taken) used.add(parseHexIdentifier(hex, bits));
  for (let i = 0; i < RANDOM_TRIES; i++) {
    const candidate = randomIdentifier(bits, random);
    if (!used.has(candidate)) return formatHexIdentifier(candidate, bits);
  }
  // Crowded space (only plausible for 16 bits): walk from a random start.
  const size = maxValue(bits) + 1n;
  const start = randomIdentifier(bits, random);
  for (let step = 0n; step < size; step++) {
    const candidate = (start + step) % size;
    if (!isReservedIdentifier(candidate, bits) && !used.has(candidate)) return formatHexIdentifier(candidate, bits);
  }
  throw new IdentifiersExhaustedError(`all ${size - 2n} ${bits}-bit identifiers are taken`);
}
