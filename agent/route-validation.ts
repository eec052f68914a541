// Validation of routes from the router (pure): a route for a SID that is not
// local, an invalid prefix or IPv4/missing segments is rejected with a reason
// (logged and counted by the control plane); accepted routes are canonical.
import { isAddress, parseCidr } from '../lib/ip.js';
import { type Srv6Net, sidBelongsTo } from '../lib/sid.js';
import type { RouteMessage } from '../proto/remote.js';
import { canonicalAddress, canonicalPrefix } from './kernel-state.js';
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

/** Validates a route from the router into canonical form; throws RejectedMessage. */
export function parseRouteMessage(message: RouteMessage, net: Srv6Net): RouterRoute {
  if (!isAddress(message.srv6Endpoint, 6)) {
    throw new RejectedMessage('invalid-sid', `srv6_endpoint ${JSON.stringify(message.srv6Endpoint)} is not an IPv6 address`);
  }
  const endpoint = canonicalAddress(message.srv6Endpoint);
  if (!sidBelongsTo(net, endpoint)) {
    throw new RejectedMessage('foreign-sid', `srv6_endpoint ${endpoint} is not a SID of this node (outside srv6_net)`);
  }
  let network: string;
  let family: 4 | 6;
  try {
    family = parseCidr(message.network).family;
    network = canonicalPrefix(message.network);
  } catch (error) {
    throw new RejectedMessage('invalid-prefix', `network ${JSON.stringify(message.network)}: ${(error as Error).message}`);
  }
  if (message.status === 'DELETE') return { endpoint, network, family, segments: [] };
  if (message.srv6Segments.length === 0) throw new RejectedMessage('invalid-segments', `route ${network} has no srv6_segments`);
  const invalid = message.srv6Segments.filter((s) => !isAddress(s, 6));
  if (invalid.length > 0) {
    throw new RejectedMessage('invalid-segments', `srv6_segments must be IPv6 addresses, got ${invalid.map((s) => JSON.stringify(s)).join(', ')}`);
  }
  return { endpoint, network, family, segments: message.srv6Segments.map(canonicalAddress) };
}
