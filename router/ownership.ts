// Ownership (SPEC §9): each worker is bound to its node's srv6_net, and may
// register only endpoints (SIDs) inside it; a network held in a VPC by
// another endpoint may be taken only by the same attachment moving (same
// VPC, same attachment id: the low 16 bits of the SID).
//
// Bindings come from a file (`--workers FILE`), or, without one, the first
// endpoint a worker registers binds it to that endpoint's /64 (the part of a
// SID that is the node's; SPEC §4), persisted in the store, and a prefix
// bound to one worker can never be claimed by another. A kubeconfig source
// (the nodes' SRv6 prefixes) can implement the same interface.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ATTACHMENT_ID_BITS, maxValue } from '../lib/identifiers.js';
import { type Cidr, cidrContains, formatCidr, parseAddress, parseCidr, prefixMask } from '../lib/ip.js';
import type { Logger } from '../lib/log.js';
import type { Request, VpcRegistrations } from './routes.js';
import type { Store } from './store.js';
import { checkWorkerName, quote, Rejected } from './validation.js';

export interface WorkerBindings {
  readonly kind: string;
  /** Throws Rejected('ownership') unless `endpoint` (canonical IPv6) lies in `worker`'s prefix. */
  check(worker: string, endpoint: string): Promise<void>;
}

const hostCidr = (endpoint: string): Cidr => ({ family: 6, address: parseAddress(endpoint).value, prefixLength: 128 });

const tryParseCidr = (text: string): Cidr | undefined => {
  try {
    return parseCidr(text);
  } catch {
    return undefined;
  }
};

const outside = (worker: string, endpoint: string, prefix: string): Rejected =>
  new Rejected('ownership', `srv6_endpoint ${endpoint} is outside ${prefix}, the srv6_net worker ${quote(worker)} is bound to`);

/** Bindings read from `--workers FILE`: a mapping worker → IPv6 prefix (YAML or JSON). Workers not in it may register nothing. */
export class FileBindings implements WorkerBindings {
  readonly kind = 'file';
  private constructor(private readonly prefixes: ReadonlyMap<string, Cidr>) {}

  static parse(text: string, source: string): FileBindings {
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new Error(`${source}: not YAML or JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${source}: expected a mapping of worker name to srv6_net, e.g. "node1: 2001:db8:1::/64"`);
    const prefixes = new Map<string, Cidr>();
    for (const [worker, value] of Object.entries(parsed)) {
      try {
        checkWorkerName(worker);
      } catch (error) {
        throw new Error(`${source}: ${(error as Error).message}`);
      }
      const cidr = typeof value === 'string' ? tryParseCidr(value) : undefined;
      if (!cidr || cidr.family !== 6 || cidr.prefixLength > 64) throw new Error(`${source}: ${worker}: srv6_net must be an IPv6 prefix of /64 or shorter, e.g. 2001:db8:1::/64, got ${quote(String(value))}`);
      prefixes.set(worker, { ...cidr, address: cidr.address & prefixMask(6, cidr.prefixLength) });
    }
    return new FileBindings(prefixes);
  }

  static load(path: string): FileBindings {
    return FileBindings.parse(readFileSync(path, 'utf8'), `workers file ${path}`);
  }

  async check(worker: string, endpoint: string): Promise<void> {
    const prefix = this.prefixes.get(worker);
    if (!prefix) throw new Rejected('ownership', `worker ${quote(worker)} is not in the workers file; add it with its srv6_net`);
    if (!cidrContains(prefix, hostCidr(endpoint))) throw outside(worker, endpoint, formatCidr(prefix));
  }
}

/** Without a workers file: a worker's first endpoint binds it to that endpoint's /64, kept in the store. */
export class FirstClaimBindings implements WorkerBindings {
  readonly kind = 'first-claim';
  /** Bindings confirmed by the store; a binding never changes, so one entry per worker that ever registered suffices. */
  private readonly confirmed = new Map<string, string>();
  constructor(private readonly store: Store) {}

  async check(worker: string, endpoint: string): Promise<void> {
    const own = formatCidr({ family: 6, address: hostCidr(endpoint).address & prefixMask(6, 64), prefixLength: 64 });
    const known = this.confirmed.get(worker);
    if (known === own) return;
    const stored = known ?? (await this.store.binding(worker));
    if (stored !== undefined && stored !== own) throw outside(worker, endpoint, stored);
    // Stored as this worker's: a prefix has one worker, so nobody else holds it (no write).
    const holder = stored === own ? worker : await this.store.claimPrefix(worker, own);
    if (holder !== worker) throw new Rejected('ownership', `srv6_endpoint ${endpoint} lies in ${own}, which belongs to another worker${holder !== undefined ? ` (${quote(holder)})` : ''}`);
    this.confirmed.set(worker, own);
  }
}

/** The binding used without a workers file, with the warning that says so. */
export function firstClaimBindings(store: Store, logger: Logger): WorkerBindings {
  logger.warn(
    'no --workers file: each worker is bound to the /64 of the first endpoint it registers (kept in the store); give --workers FILE to bind workers to their srv6_net up front',
  );
  return new FirstClaimBindings(store);
}

const attachmentOf = (endpoint: string): bigint => parseAddress(endpoint).value & maxValue(ATTACHMENT_ID_BITS);

/**
 * A register for a network another endpoint holds in this VPC is a move only
 * when it is the same attachment (same attachment id); anything else would let
 * one worker take over another's network.
 */
export function checkClaim(state: VpcRegistrations, request: Request): void {
  const holder = state.get(request.network);
  if (!holder || holder.endpoint === request.endpoint) return;
  if (attachmentOf(holder.endpoint) === attachmentOf(request.endpoint)) return;
  throw new Rejected(
    'ownership',
    `network ${request.network} of VPC ${request.vpc} is held by another attachment (${holder.endpoint}); only the same attachment may move it`,
  );
}
