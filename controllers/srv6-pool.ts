// Each node's srv6_net (SPEC §4, §10), from a cluster pool: which nodes get
// which prefix. Pure: the caller lists the Nodes and writes the annotations.
// A prefix on a Node, whoever wrote it (an administrator by hand, or this
// allocator earlier), is never changed; it is taken until the Node is gone.
import { type Cidr, cidrContains, formatCidr, isCidr, networkOf, parseCidr } from '../lib/ip.js';
import { SRV6_NET_ANNOTATION } from '../lib/kube-nodes.js';

export { SRV6_NET_ANNOTATION };

export interface Srv6Pool {
  pool: Cidr;
  /** Prefix length given to each node, e.g. 48. */
  nodePrefixLength: number;
}

export interface NodePrefixView {
  name: string;
  resourceVersion: string;
  /** The annotation's value, if any. */
  srv6Net?: string;
}

export interface PrefixAssignment {
  node: string;
  /** The Node's version the choice was made on: the write is conditional on it. */
  resourceVersion: string;
  srv6Net: string;
}

export interface PrefixPlan {
  assign: PrefixAssignment[];
  /** Annotations that are not prefixes, prefixes two nodes share, a full pool: logged, never rewritten. */
  problems: string[];
}

/** Validates --srv6-pool and the per-node length, naming the option to fix. */
export function parseSrv6Pool(poolText: string, nodePrefixLength: number): Srv6Pool {
  if (!isCidr(poolText)) throw new Error(`--srv6-pool ${JSON.stringify(poolText)} is not an IPv6 prefix such as 2001:db8:ff00::/40`);
  const pool = parseCidr(poolText);
  if (pool.family !== 6) throw new Error(`--srv6-pool ${poolText} is IPv4; SRv6 needs an IPv6 prefix such as 2001:db8:ff00::/40`);
  if (networkOf(pool).address !== pool.address) throw new Error(`--srv6-pool ${poolText} has host bits set; use ${formatCidr(networkOf(pool))}`);
  if (nodePrefixLength <= pool.prefixLength || nodePrefixLength > 64) {
    throw new Error(`--srv6-node-prefix-length ${nodePrefixLength} must be longer than the pool's /${pool.prefixLength} and at most 64 (SIDs use the low 64 bits)`);
  }
  return { pool, nodePrefixLength };
}

const network = (cidr: Cidr): bigint => networkOf(cidr).address;

const overlaps = (a: Cidr, b: Cidr): boolean => cidrContains(a, b) || cidrContains(b, a);

/** Which nodes without a prefix get which free one (lowest first, nodes by name). */
export function planNodePrefixes(nodes: NodePrefixView[], { pool, nodePrefixLength }: Srv6Pool): PrefixPlan {
  const problems: string[] = [];
  const taken: Cidr[] = [];
  const owners = new Map<string, string>();
  for (const node of [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (node.srv6Net === undefined) continue;
    const cidr = isCidr(node.srv6Net) ? parseCidr(node.srv6Net) : undefined;
    if (!cidr || cidr.family !== 6 || cidr.prefixLength > 64) {
      problems.push(`node ${node.name}: ${SRV6_NET_ANNOTATION} ${JSON.stringify(node.srv6Net)} is not an IPv6 prefix of /64 or shorter; fix or remove the annotation`);
      continue;
    }
    const clash = taken.find((other) => overlaps(other, cidr));
    if (clash) problems.push(`nodes ${owners.get(formatCidr(clash))} and ${node.name} have overlapping ${SRV6_NET_ANNOTATION} ${formatCidr(clash)} and ${node.srv6Net}; give one of them another prefix`);
    taken.push(cidr);
    owners.set(formatCidr(cidr), node.name);
  }

  const size = 1n << BigInt(128 - nodePrefixLength);
  const end = network(pool) + (1n << BigInt(128 - pool.prefixLength));
  let next = network(pool);
  const assign: PrefixAssignment[] = [];
  for (const node of [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (node.srv6Net !== undefined) continue;
    let found: Cidr | undefined;
    while (!found && next < end) {
      const candidate: Cidr = { family: 6, address: next, prefixLength: nodePrefixLength };
      const blocking = taken.find((other) => overlaps(other, candidate));
      if (!blocking) found = candidate;
      // Skip past whatever blocks, aligned to the node prefix size.
      else next = ((network(blocking) + (1n << BigInt(128 - blocking.prefixLength)) + size - 1n) / size) * size;
    }
    if (!found) {
      problems.push(`node ${node.name}: the SRv6 pool ${formatCidr(pool)} has no free /${nodePrefixLength} left; enlarge --srv6-pool or annotate the node by hand`);
      continue;
    }
    taken.push(found);
    next = found.address + size;
    assign.push({ node: node.name, resourceVersion: node.resourceVersion, srv6Net: formatCidr(found) });
  }
  return { assign, problems };
}
