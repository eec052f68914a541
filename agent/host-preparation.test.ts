// --prepare-host planning (pure): from the facts the prerequisite check reads
// to the commands that make them pass; nothing on a prepared host.
import { expect } from 'chai';
import { parseSrv6Net } from '../lib/sid.js';
import { describeAction, planHostPreparation } from './host-preparation.js';
import { type HostFacts, type PrerequisiteSettings, checkedInterfaces, requiredSysctls } from './prerequisites.js';

const settings: PrerequisiteSettings = { encapDevice: 'lo-galactic', srv6Net: parseSrv6Net('2001:db8:ff01::/48'), srv6NetText: '2001:db8:ff01::/48' };
const LOOPBACK = '2001:db8:ff01:0:ffff:ffff:ffff:ffff';

const prepared = (): HostFacts => ({
  sysctls: requiredSysctls(checkedInterfaces(settings, ['eth1'])),
  encapLink: { up: true, addresses: [LOOPBACK] },
  tunsrc: LOOPBACK,
  uplinks: ['eth1'],
  forward: '-P FORWARD DROP\n-A FORWARD -d 2001:db8:ff01::/48 -j ACCEPT\n',
  cniPluginDirs: ['/opt/cni/bin'],
  cniPlugins: ['host-device', 'static'],
  cniConfigs: [],
});

describe('agent --prepare-host: planning', () => {
  it('plans nothing for a prepared host', () => {
    expect(planHostPreparation(prepared(), settings)).to.deep.equal([]);
  });

  it('creates the dummy link with its loopback address, sets the tunnel source, fixes sysctls and FORWARD', () => {
    const facts = prepared();
    delete facts.encapLink;
    facts.tunsrc = '::';
    facts.sysctls['net.vrf.strict_mode'] = '0';
    facts.sysctls['net.ipv6.conf.eth1.accept_ra'] = '1';
    facts.sysctls['net.ipv6.conf.lo-galactic.seg6_enabled'] = undefined; // the link does not exist yet
    facts.forward = '-P FORWARD DROP\n';
    expect(planHostPreparation(facts, settings).map(describeAction)).to.deep.equal([
      'ip link add lo-galactic type dummy',
      'ip link set lo-galactic up',
      `ip -6 addr add ${LOOPBACK}/128 dev lo-galactic nodad`,
      `ip sr tunsrc set ${LOOPBACK}`,
      'sysctl -w net.vrf.strict_mode=1',
      'sysctl -w net.ipv6.conf.eth1.accept_ra=0',
      'ip6tables -I FORWARD -d 2001:db8:ff01::/48 -j ACCEPT',
    ]);
  });

  it('leaves the missing vrf module and a missing ip6tables to the check', () => {
    const facts = prepared();
    delete facts.sysctls['net.vrf.strict_mode'];
    delete facts.forward;
    expect(planHostPreparation(facts, settings)).to.deep.equal([]);
  });
});
