// Kernel object names per SPEC §5: G<vpc base62, 9><attachment base62, 3><role>.
import { ATTACHMENT_ID_BITS, VPC_ID_BITS, formatHexIdentifier, fromBase62, maxValue, toBase62 } from './identifiers.js';

export type LinkRole = 'V' | 'H' | 'G';
export const LINK_PREFIX = 'G';
const LINK_PATTERN = /^G([0-9a-zA-Z]{9})([0-9a-zA-Z]{3})([VHG])$/;

export function linkName(vpc: bigint, attachment: bigint, role: LinkRole): string {
  return `${LINK_PREFIX}${toBase62(vpc).padStart(9, '0')}${toBase62(attachment).padStart(3, '0')}${role}`;
}

export const vrfName = (vpc: bigint, attachment: bigint): string => linkName(vpc, attachment, 'V');
export const hostVethName = (vpc: bigint, attachment: bigint): string => linkName(vpc, attachment, 'H');
export const guestVethName = (vpc: bigint, attachment: bigint): string => linkName(vpc, attachment, 'G');

export interface ParsedLinkName {
  vpc: bigint;
  attachment: bigint;
  role: LinkRole;
  /** hex forms, as the agent and router speak them */
  vpcHex: string;
  attachmentHex: string;
}

/** Parses a Galactic link name; undefined for any other link. */
export function parseLinkName(name: string): ParsedLinkName | undefined {
  const match = LINK_PATTERN.exec(name);
  if (!match) return undefined;
  const vpc = fromBase62(match[1]!);
  const attachment = fromBase62(match[2]!);
  if (vpc > maxValue(VPC_ID_BITS) || attachment > maxValue(ATTACHMENT_ID_BITS)) return undefined;
  return {
    vpc,
    attachment,
    role: match[3] as LinkRole,
    vpcHex: formatHexIdentifier(vpc, VPC_ID_BITS),
    attachmentHex: formatHexIdentifier(attachment, ATTACHMENT_ID_BITS),
  };
}
