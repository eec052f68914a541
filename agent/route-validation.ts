// Validation of routes from the router (pure): a route for a SID that is not
// local, an invalid prefix or IPv4/missing segments is rejected with a reason
// (logged and counted by the control plane); accepted routes are canonical.
import { type Srv6Net, sidBelongsTo } from '../lib/sid.js';
import type { RouteMessage } from '../proto/remote.js';
import { canonicalIPv6, canonicalPrefix } from './kernel-state.js';
import type { RouterRoute } from './plan.js';

export type RejectReason = 'undecodable' | 'unexpected-kind' | 'invalid-sid' | 'foreign-sid' | 'invalid-prefix' | 'invalid-segments';

export class RejectedMessage extends Error {
  override name = 'RejectedMessage';
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

const belongs = new WeakMap<Srv6Net, Map<string, boolean>>();

/** sidBelongsTo, remembered per SID: a resync brings thousands of routes for a few local SIDs. */
function isLocalSid(net: Srv6Net, sid: string): boolean {
  let known = belongs.get(net);
  if (!known) belongs.set(net, (known = new Map()));
  let answer = known.get(sid);
  if (answer === undefined) {
    answer = sidBelongsTo(net, sid);
    if (known.size > 10_000) known.clear();
    known.set(sid, answer);
  }
  return answer;
}

/** Validates a route from the router into canonical form; throws RejectedMessage. */
export function parseRouteMessage(message: RouteMessage, net: Srv6Net): RouterRoute {
  const endpoint = canonicalIPv6(message.srv6Endpoint);
  if (endpoint === undefined) {
    throw new RejectedMessage('invalid-sid', `srv6_endpoint ${JSON.stringify(message.srv6Endpoint)} is not an IPv6 address`);
  }
  if (!isLocalSid(net, endpoint)) {
    throw new RejectedMessage('foreign-sid', `srv6_endpoint ${endpoint} is not a SID of this node (outside srv6_net)`);
  }
  let network: string;
  try {
    network = canonicalPrefix(message.network);
  } catch (error) {
    throw new RejectedMessage('invalid-prefix', `network ${JSON.stringify(message.network)}: ${(error as Error).message}`);
  }
  const family = network.includes(':') ? 6 : 4;
  if (message.status === 'DELETE') return { endpoint, network, family, segments: [] };
  if (message.srv6Segments.length === 0) throw new RejectedMessage('invalid-segments', `route ${network} has no srv6_segments`);
  const segments = message.srv6Segments.map(canonicalIPv6);
  const invalid = message.srv6Segments.filter((_, i) => segments[i] === undefined);
  if (invalid.length > 0) {
    throw new RejectedMessage('invalid-segments', `srv6_segments must be IPv6 addresses, got ${invalid.map((s) => JSON.stringify(s)).join(', ')}`);
  }
  return { endpoint, network, family, segments: segments as string[] };
}
