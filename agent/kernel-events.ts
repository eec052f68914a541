// Kernel events from `ip -N monitor route nexthop link` (text: iproute2 6.1
// prints no JSON there), parsed and judged against the agent's kept
// observation: an event the observation already accounts for is the echo of
// the agent's own batch; anything else is drift, and the kernel must be read
// again. Pure: agent/kernel.ts runs the monitor.
import type { Family } from '../lib/ip.js';
import { parseLinkName } from '../lib/names.js';
import { type ObservedKernel, type Ownership, canonicalAddress, inRange, parseDestination, parseTable, routeKey } from './kernel-state.js';

export type KernelEvent =
  | { kind: 'route'; deleted: boolean; family: Family | undefined; table: number; dst: string; metric: number; protocol: number | undefined; nhid?: number }
  | { kind: 'nexthop'; deleted: boolean; id: number; segs?: string[] }
  | { kind: 'link'; deleted: boolean; name: string };

/** Route types `ip` prints before the destination; unicast is never printed. */
const ROUTE_TYPES = new Set(['local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve']);

/** The value after `name` in a token list. */
const after = (tokens: string[], name: string): string | undefined => {
  const index = tokens.indexOf(name);
  return index >= 0 ? tokens[index + 1] : undefined;
};

const integer = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

/** `segs N [ a b ]` of a seg6 encap. */
function segments(tokens: string[]): string[] | undefined {
  const open = tokens.indexOf('[', tokens.indexOf('segs'));
  const close = tokens.indexOf(']', open);
  if (tokens.indexOf('segs') < 0 || open < 0 || close < 0) return undefined;
  try {
    return tokens.slice(open + 1, close).map(canonicalAddress);
  } catch {
    return undefined;
  }
}

/** One line of `ip -N monitor`; undefined for continuation lines and anything unknown. */
export function parseMonitorLine(line: string): KernelEvent | undefined {
  if (line === '' || /^\s/.test(line)) return undefined;
  const tokens = line.trim().split(/\s+/);
  const deleted = tokens[0] === 'Deleted';
  if (deleted) tokens.shift();
  const head = tokens[0];
  if (head === undefined) return undefined;
  if (head === 'id') {
    const id = integer(tokens[1]);
    if (id === undefined) return undefined;
    const segs = segments(tokens);
    return segs ? { kind: 'nexthop', deleted, id, segs } : { kind: 'nexthop', deleted, id };
  }
  if (/^\d+:$/.test(head)) {
    const name = tokens[1]?.replace(/:$/, '').replace(/@.*$/, '');
    return name ? { kind: 'link', deleted, name } : undefined;
  }
  if (ROUTE_TYPES.has(head)) tokens.shift();
  const dstText = tokens[0];
  if (dstText === undefined) return undefined;
  const family: Family | undefined = dstText === 'default' ? undefined : dstText.includes(':') ? 6 : 4;
  let dst = dstText;
  if (family !== undefined) {
    try {
      dst = parseDestination(family, dstText);
    } catch {
      return undefined;
    }
  }
  const protocolText = after(tokens, 'proto');
  const event: KernelEvent = {
    kind: 'route',
    deleted,
    family,
    table: parseTable(after(tokens, 'table')),
    dst,
    metric: integer(after(tokens, 'metric')) ?? 0,
    protocol: integer(protocolText),
  };
  const nhid = integer(after(tokens, 'nhid'));
  if (nhid !== undefined) event.nhid = nhid;
  return event;
}

/**
 * Whether the kept observation misses this event, so the kernel must be read
 * again. Only the agent's objects count: routes with its protocol, nexthops
 * in its id range, Galactic links and the encap device (the agent never
 * changes links, so any event on those is news). Without an observation
 * nothing is missed: the next pass reads the kernel anyway.
 */
export function isDrift(event: KernelEvent, observed: ObservedKernel | undefined, ownership: Ownership, encapDevice: string): boolean {
  switch (event.kind) {
    case 'route': {
      if (event.protocol !== ownership.protocol || observed === undefined) return false;
      if (event.family === undefined) return true;
      const kept = observed.routes.get(routeKey(event.family, event.table, event.dst, event.metric));
      if (event.deleted) return kept !== undefined;
      return kept === undefined || kept.nhid !== event.nhid;
    }
    case 'nexthop': {
      if (!inRange(event.id, ownership.nexthopIds) || observed === undefined) return false;
      const kept = observed.nexthops.get(event.id);
      if (event.deleted) return kept !== undefined;
      return kept === undefined || (event.segs !== undefined && event.segs.join(',') !== kept.segs.join(','));
    }
    case 'link':
      return observed !== undefined && (event.name === encapDevice || parseLinkName(event.name) !== undefined);
  }
}
