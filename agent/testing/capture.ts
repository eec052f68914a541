// The real `ip -j` output in agent/testdata/ip-json.txt (captured by
// agent/testdata/capture.sh on a kernel with VRF and seg6local), by section.
import { readFileSync } from 'node:fs';
import type { IpJsonOutput } from '../kernel-state.js';

const CAPTURE = readFileSync(new URL('../testdata/ip-json.txt', import.meta.url), 'utf8');

/** `### <args>` sections of the capture, JSON-parsed. */
const sections = new Map(
  CAPTURE.split(/^### /m)
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const newline = part.indexOf('\n');
      return [part.slice(0, newline).trim(), JSON.parse(part.slice(newline + 1)) as unknown] as const;
    }),
);

export function captureSection(args: string): unknown {
  if (!sections.has(args)) throw new Error(`capture has no section "${args}"`);
  return sections.get(args);
}

/** The capture as one observation's input; `numeric` picks the `ip -N` route output. */
export const capturedOutput = (numeric = true): IpJsonOutput => ({
  routes4: captureSection(`${numeric ? '-N ' : ''}-4 route show table all`),
  routes6: captureSection(`${numeric ? '-N ' : ''}-6 route show table all`),
  nexthops4: captureSection('-4 nexthop'),
  nexthops6: captureSection('-6 nexthop'),
  proxies: captureSection('neigh show proxy'),
  links: captureSection('-d link show'),
});

/** What the capture holds, as the agent's intent: srv6_net 2001:db8:ff01::/48, VPC 0xbeef attachment 1 in VRF table 7. */
export const CAPTURE_FACTS = {
  srv6Net: '2001:db8:ff01::/48',
  localSid: '2001:db8:ff01::beef:1',
  remoteSid: '2001:db8:ff02::beef:2',
  vpc: 0xbeefn,
  attachment: 1n,
  table: 7,
  networks: ['10.1.1.2/32', '192.168.2.0/24', '0.0.0.0/0', '2001:10:1:1::2/128', '2001:2::/64'],
} as const;
