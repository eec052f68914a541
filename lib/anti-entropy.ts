// Anti-entropy between agents and the router (proto/remote.proto, "Anti-entropy"):
// the digest both sides compute over a set, the split of a full set into
// parts that stay far below the message size limit, and the reassembly of
// those parts. Pure; the same code runs on both sides so digests agree.
import { createHash } from 'node:crypto';
import { formatAddress, normalizeCidr, parseAddress } from './ip.js';
import { integerOption, type OptionSpec } from './options.js';
import type { SetRegistration, SetRoute, SetSummary } from '../proto/remote.js';

/**
 * Items per RegistrationSet/RouteSet part. A route line is at most ~130 bytes
 * on the wire (an IPv6 network, endpoint and segment), so a part stays near
 * 33 KiB, half the 64 KiB message limit.
 */
export const SET_PART_ITEMS = 256;

/** Seconds between anti-entropy exchanges, on both sides, unless configured. */
export const DEFAULT_ANTI_ENTROPY_INTERVAL_S = 30;
export const DEFAULT_ANTI_ENTROPY_INTERVAL_MS = DEFAULT_ANTI_ENTROPY_INTERVAL_S * 1000;

/** `--anti-entropy-interval SECONDS` (`$ANTI_ENTROPY_INTERVAL`) of the agent and the router, each with its own description. */
export const antiEntropyIntervalOption = (description: string): OptionSpec<number> & { default: number } =>
  integerOption({ flag: 'anti-entropy-interval', env: 'ANTI_ENTROPY_INTERVAL', placeholder: 'SECONDS', min: 1, default: DEFAULT_ANTI_ENTROPY_INTERVAL_S, description }) as OptionSpec<number> & {
    default: number;
  };

/** Canonical text of an address or network; text that is neither is kept as is (it then never matches). */
function canonical(text: string, kind: 'address' | 'network'): string {
  try {
    if (kind === 'network') return normalizeCidr(text);
    const { family, value } = parseAddress(text);
    return formatAddress(family, value);
  } catch {
    return text;
  }
}

export const registrationLine = (r: SetRegistration): string => `${canonical(r.network, 'network')} ${canonical(r.srv6Endpoint, 'address')}`;

export const routeLine = (r: SetRoute): string =>
  `${canonical(r.srv6Endpoint, 'address')} ${canonical(r.network, 'network')} ${r.srv6Segments.map((s) => canonical(s, 'address')).join(',')}`;

/** Count and digest of a set of lines: SHA-256 over the distinct lines, sorted, each followed by a newline. */
export function summarise(lines: Iterable<string>): SetSummary {
  const distinct = [...new Set(lines)].sort();
  const hash = createHash('sha256');
  for (const line of distinct) hash.update(`${line}\n`);
  return { count: distinct.length, digest: hash.digest('hex') };
}

export const sameSummary = (a: SetSummary, b: SetSummary): boolean => a.count === b.count && a.digest === b.digest;

/** Splits a full set into parts of at most SET_PART_ITEMS items; an empty set is one empty part. */
export function splitSet<T>(items: readonly T[], perPart = SET_PART_ITEMS): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < items.length; start += perPart) parts.push(items.slice(start, start + perPart));
  return parts.length > 0 ? parts : [[]];
}

/**
 * Collects the parts of chunked sets, one set in assembly per key (a worker,
 * or the agent itself): a part of another set id starts over, so an
 * interleaved stale set can never mix with a newer one. Duplicated parts are
 * harmless. Returns the whole set once its last missing part arrived.
 */
export class SetAssembler<T> {
  private readonly inAssembly = new Map<string, { id: string; parts: Array<T[] | undefined>; missing: number }>();

  add(key: string, id: string, part: number, parts: number, items: T[]): T[] | undefined {
    let set = this.inAssembly.get(key);
    if (!set || set.id !== id || set.parts.length !== parts) {
      set = { id, parts: new Array<T[] | undefined>(parts).fill(undefined), missing: parts };
      this.inAssembly.set(key, set);
    }
    if (set.parts[part] === undefined) {
      set.parts[part] = items;
      set.missing -= 1;
    }
    if (set.missing > 0) return undefined;
    this.inAssembly.delete(key);
    return set.parts.flatMap((p) => p ?? []);
  }

  /** Drops a set in assembly (e.g. its sender is gone). */
  forget(key: string): void {
    this.inAssembly.delete(key);
  }
}
