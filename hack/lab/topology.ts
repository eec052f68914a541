// Addressing of a lab: N nodes on one IPv6 underlay (documentation range),
// each with its own SRv6 /48 and loopback SID, plus the control plane's
// address on the same underlay.
import { loopbackSid, parseSrv6Net } from '../../lib/sid.js';

export interface LabNode {
  name: string;
  /** 1-based position, used in addresses. */
  index: number;
  /** Underlay address of the node's uplink (eth1), /64 on the shared bridge. */
  underlay: string;
  srv6Net: string;
  /** The node's SRv6 loopback on lo-galactic; source of encapsulated packets. */
  loopback: string;
}

export const UNDERLAY_PREFIX_LENGTH = 64;
/** Where the router and its embedded broker listen, on the underlay bridge. */
export const CONTROL_PLANE_ADDRESS = '2001:db8::100';
export const MQTT_PORT = 1883;

export function labNodes(names: string[]): LabNode[] {
  if (names.length > 9) throw new Error('a lab has at most 9 nodes');
  return names.map((name, i) => {
    const index = i + 1;
    const srv6Net = `2001:db8:ff0${index}::/48`;
    return { name, index, underlay: `2001:db8::${index}`, srv6Net, loopback: loopbackSid(parseSrv6Net(srv6Net)) };
  });
}
