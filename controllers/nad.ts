// The Multus NetworkAttachmentDefinition of a VPCAttachment (SPEC §3): a pure
// function of the attachment, the two identifiers and the MTU.
import { ATTACHMENT_ID_BITS, VPC_ID_BITS, base62ToHex, hexToBase62 } from '../lib/identifiers.js';
import { type Cidr, formatAddress, formatCidr, networkOf, normalizeCidr, parseAddress, parseCidr } from '../lib/ip.js';
import {
  API_VERSION,
  GROUP,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  NAD_GROUP,
  NAD_VERSION,
  type NetworkAttachmentDefinition,
  type OwnerReference,
  type VpcAttachment,
  addressesOf,
  poolsOf,
} from './model.js';
import type { Outcome } from './status.js';

export interface NadInput {
  namespace: string;
  name: string;
  /** VPC identifier, 12 hex digits. */
  vpcIdentifier: string;
  /** Attachment identifier, 4 hex digits. */
  attachmentIdentifier: string;
  mtu: number;
  addresses: string[];
  /** Pool attachments: each pod's addresses come from these, through Multus' `ips` capability. */
  pools?: string[];
  routes: Array<{ destination: string; via: string }>;
}

interface Termination {
  network: string;
  via?: string;
}

const sameAddress = (a: { family: number; value: bigint }, b: Cidr): boolean => a.family === b.family && a.value === b.address;

/**
 * The CNI network config list, serialised. Terminations: each address's network
 * (once), then each route whose via is one of the attachment's own addresses;
 * every other route goes into the static IPAM routes, installed in the pod.
 */
export function renderNadConfig(input: NadInput): string {
  const addresses = input.addresses.map((text) => parseCidr(text));
  const pools = (input.pools ?? []).map((text) => parseCidr(text));
  const terminations: Termination[] = [];
  const seen = new Set<string>();
  for (const address of [...addresses, ...pools]) {
    const network = formatCidr(networkOf(address));
    if (seen.has(network)) continue;
    seen.add(network);
    terminations.push({ network });
  }
  const ipamRoutes: Array<{ dst: string; gw: string }> = [];
  for (const route of input.routes) {
    const via = parseAddress(route.via);
    const dst = normalizeCidr(route.destination);
    const gw = formatAddress(via.family, via.value);
    if (addresses.some((address) => sameAddress(via, address))) terminations.push({ network: dst, via: gw });
    else ipamRoutes.push({ dst, gw });
  }
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: `${input.namespace}-${input.name}`,
    plugins: [
      {
        type: 'galactic',
        vpc: hexToBase62(input.vpcIdentifier),
        vpcattachment: hexToBase62(input.attachmentIdentifier),
        mtu: input.mtu,
        terminations,
        // A pool attachment's pods bring their addresses (runtimeConfig.ips) and
        // endpoint identifier (args.cni.vpcattachment) from the pod's annotation.
        ...(pools.length > 0 ? { capabilities: { ips: true } } : {}),
        ipam: {
          type: 'static',
          ...(pools.length > 0 ? {} : { addresses: addresses.map((address) => ({ address: formatCidr(address) })) }),
          routes: ipamRoutes,
        },
      },
    ],
  });
}

export function ownerReferenceOf(attachment: VpcAttachment): OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: 'VPCAttachment',
    name: attachment.metadata.name,
    uid: attachment.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The whole NAD object the operator wants for an attachment with identifiers. */
export function desiredNad(
  attachment: VpcAttachment,
  ids: { vpc: string; attachment: string },
  mtu: number,
): NetworkAttachmentDefinition {
  const namespace = attachment.metadata.namespace ?? 'default';
  return {
    apiVersion: `${NAD_GROUP}/${NAD_VERSION}`,
    kind: 'NetworkAttachmentDefinition',
    metadata: {
      name: attachment.metadata.name,
      namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      ownerReferences: [ownerReferenceOf(attachment)],
    },
    spec: {
      config: renderNadConfig({
        namespace,
        name: attachment.metadata.name,
        vpcIdentifier: ids.vpc,
        attachmentIdentifier: ids.attachment,
        mtu,
        addresses: addressesOf(attachment),
        pools: poolsOf(attachment),
        routes: attachment.spec.routes ?? [],
      }),
    },
  };
}

/**
 * The identifiers (hex) a NAD was written with, read from its galactic
 * plugin entry; undefined when it has none readable.
 */
export function nadIdentifiers(nad: NetworkAttachmentDefinition): { vpc: string; attachment: string } | undefined {
  try {
    const config = JSON.parse(nad.spec?.config ?? '') as { plugins?: Array<{ type?: unknown; vpc?: unknown; vpcattachment?: unknown }> };
    const plugin = config.plugins?.find((p) => p.type === 'galactic');
    if (typeof plugin?.vpc !== 'string' || typeof plugin.vpcattachment !== 'string') return undefined;
    return { vpc: base62ToHex(plugin.vpc, VPC_ID_BITS), attachment: base62ToHex(plugin.vpcattachment, ATTACHMENT_ID_BITS) };
  } catch {
    return undefined;
  }
}

/**
 * The outcome to report when the NAD this very attachment (same uid) had
 * written carries other identifiers than the VPC and attachment now show.
 */
export function identifierChange(nad: NetworkAttachmentDefinition | undefined, attachment: VpcAttachment, vpcId: string): Outcome | undefined {
  if (!nad || controllerOf(nad)?.uid !== attachment.metadata.uid) return undefined;
  const written = nadIdentifiers(nad);
  if (!written) return undefined;
  const now = { vpc: vpcId, attachment: attachment.status?.identifier };
  const fields = [
    ...(now.vpc !== written.vpc ? [`the VPC's status.identifier is ${now.vpc}`] : []),
    ...(now.attachment !== written.attachment ? [`status.identifier is ${now.attachment ?? 'gone'}`] : []),
  ];
  if (fields.length === 0) return undefined;
  return {
    ready: false,
    reason: 'IdentifierChanged',
    message: `${fields.join(' and ')}, but the NetworkAttachmentDefinition was written with VPC ${written.vpc} and attachment ${written.attachment}; identifiers never change, so it is kept: restore them, or delete and recreate the VPCAttachment`,
  };
}

/** The attachment that controls a NAD, if it is a VPCAttachment. */
export const controllerOf = (nad: NetworkAttachmentDefinition): OwnerReference | undefined =>
  nad.metadata.ownerReferences?.find((ref) => ref.controller && ref.kind === 'VPCAttachment' && ref.apiVersion.startsWith(`${GROUP}/`));

/** Whether the NAD in the cluster already matches what we want (config, owner, label). */
export function nadMatches(actual: NetworkAttachmentDefinition, desired: NetworkAttachmentDefinition): boolean {
  const owner = controllerOf(actual);
  const want = desired.metadata.ownerReferences?.[0];
  return (
    actual.spec?.config === desired.spec.config &&
    owner?.uid === want?.uid &&
    actual.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY
  );
}
