// The seed's three-PoP example as the NetworkAttachmentDefinition configs the
// operator writes (SPEC §3), plus a second VPC that reuses its addresses.
import { toBase62 } from '../../lib/identifiers.js';

export interface PodSpec {
  /** Pod network namespace name, also the CNI container id. */
  pod: string;
  node: string;
  vpc: bigint;
  attachment: bigint;
  addresses: string[];
  /** Routes with a local via: prefixes routed behind this pod. */
  terminations: Array<{ network: string; via: string }>;
  /** Routes installed inside the pod. */
  podRoutes: Array<{ dst: string; gw: string }>;
  /** Addresses the pod owns inside its routed prefixes (put on its loopback). */
  prefixAddresses: string[];
}

export const VPC_A = 0x4d2n;
export const VPC_B = 0x4d3n;

const networkOf = (address: string): string =>
  address.includes(':') ? `${address.split('::')[0]}::/64` : `${address.split('.').slice(0, 3).join('.')}.0/24`;

/** The NAD spec.config (a CNI network configuration list) for a pod. */
export function nadConfig(spec: PodSpec, namespace = 'default'): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: `${namespace}-${spec.pod}`,
    plugins: [
      {
        type: 'galactic',
        vpc: toBase62(spec.vpc),
        vpcattachment: toBase62(spec.attachment),
        mtu: 1372,
        terminations: [
          ...spec.addresses.map((address) => ({ network: networkOf(address.split('/')[0]!) })),
          ...spec.terminations,
        ],
        ipam: { type: 'static', addresses: spec.addresses.map((address) => ({ address })), routes: spec.podRoutes },
      },
    ],
  });
}

export const seedPods: PodSpec[] = [
  {
    pod: 'pod-sjc', node: 'sjc', vpc: VPC_A, attachment: 1n,
    addresses: ['10.1.1.1/24', '2001:10:1:1::1/64'],
    terminations: [{ network: '192.168.1.0/24', via: '10.1.1.1' }, { network: '2001:1::/64', via: '2001:10:1:1::1' }],
    podRoutes: [{ dst: '192.168.2.0/24', gw: '10.1.1.3' }, { dst: '2001:2::/64', gw: '2001:10:1:1::3' }],
    prefixAddresses: ['192.168.1.1', '2001:1::1'],
  },
  {
    pod: 'pod-iad', node: 'iad', vpc: VPC_A, attachment: 2n,
    addresses: ['10.1.1.2/24', '2001:10:1:1::2/64'],
    terminations: [], podRoutes: [], prefixAddresses: [],
  },
  {
    pod: 'pod-ams', node: 'ams', vpc: VPC_A, attachment: 3n,
    addresses: ['10.1.1.3/24', '2001:10:1:1::3/64'],
    terminations: [{ network: '192.168.2.0/24', via: '10.1.1.3' }, { network: '2001:2::/64', via: '2001:10:1:1::3' }],
    podRoutes: [{ dst: '192.168.1.0/24', gw: '10.1.1.1' }, { dst: '2001:1::/64', gw: '2001:10:1:1::1' }],
    prefixAddresses: ['192.168.2.1', '2001:2::1'],
  },
];

/** Same addresses, another VPC: must reach each other and never VPC A. */
export const isolatedPods: PodSpec[] = [
  { pod: 'pod-b-sjc', node: 'sjc', vpc: VPC_B, attachment: 1n, addresses: ['10.1.1.1/24', '2001:10:1:1::1/64'], terminations: [], podRoutes: [], prefixAddresses: [] },
  { pod: 'pod-b-iad', node: 'iad', vpc: VPC_B, attachment: 2n, addresses: ['10.1.1.2/24', '2001:10:1:1::2/64'], terminations: [], podRoutes: [], prefixAddresses: [] },
];

/** A second attachment of VPC A on the SJC node. */
export const sameNodePod: PodSpec = {
  pod: 'pod-sjc-2', node: 'sjc', vpc: VPC_A, attachment: 4n,
  addresses: ['10.1.1.4/24', '2001:10:1:1::4/64'], terminations: [], podRoutes: [], prefixAddresses: [],
};

export const addressOf = (spec: PodSpec, family: 4 | 6): string =>
  spec.addresses.map((a) => a.split('/')[0]!).find((a) => (family === 6) === a.includes(':'))!;
