import { expect } from 'chai';
import { parseNetConf } from './config.js';
import { SPEC_EXAMPLE } from './fixtures.js';
import { addBatches, allocateTable, hostDeviceConfig, namesOf, ownerAlias, parseOwnerAlias, registrationOf, sysctlsOf, terminationRoute } from './plan.js';

const conf = parseNetConf(SPEC_EXAMPLE);
const names = namesOf(conf);

describe('cni plan', () => {
  it('names the links per SPEC §5 (vpc jU, attachment G)', () => {
    expect(names).to.deep.equal({ vrf: 'G0000000jU00GV', host: 'G0000000jU00GH', guest: 'G0000000jU00GG' });
  });

  describe('table allocation', () => {
    it('takes the lowest free id from 1', () => {
      expect(allocateTable([])).to.equal(1);
      expect(allocateTable([1, 2, 4])).to.equal(3);
      expect(allocateTable([2, 3])).to.equal(1);
    });

    it('skips 253, 254 and 255', () => {
      const used = Array.from({ length: 252 }, (_, i) => i + 1);
      expect(allocateTable(used)).to.equal(256);
      expect(allocateTable([...used, 256])).to.equal(257);
    });
  });

  it('builds the link batch: VRF on T with owner, flush, veth with MTU, enslave, up, IPv6 routes', () => {
    const owner = ownerAlias('c0ffee', 'galactic0');
    const b = addBatches(conf, names, 7, owner);
    expect(b.links).to.deep.equal([
      'link add G0000000jU00GV type vrf table 7',
      'link set dev G0000000jU00GV alias galactic:c0ffee:galactic0',
      'route flush table 7',
      'link add G0000000jU00GH mtu 1372 type veth peer name G0000000jU00GG mtu 1372',
      'link set dev G0000000jU00GH alias galactic:c0ffee:galactic0',
      'link set dev G0000000jU00GH master G0000000jU00GV',
      'link set dev G0000000jU00GV up',
      'link set dev G0000000jU00GH up',
      'link set dev G0000000jU00GG up',
      'route add 2001:10:1:1::/64 dev G0000000jU00GH table 7',
    ]);
    expect(b.ipv4).to.deep.equal([
      'route flush table 7',
      'route add 10.1.1.0/24 dev G0000000jU00GH scope link table 7',
      'route add 192.168.1.0/24 via 10.1.1.1 table 7',
    ]);
  });

  it('puts routes without via before routes with via (the via resolves through them)', () => {
    const c = parseNetConf({ ...SPEC_EXAMPLE, terminations: [{ network: '2001:1::/64', via: '2001:10:1:1::1' }, { network: '2001:10:1:1::/64' }] });
    const lines = addBatches(c, names, 3, 'galactic:c:i').links.filter((l) => l.startsWith('route add'));
    expect(lines).to.deep.equal(['route add 2001:10:1:1::/64 dev G0000000jU00GH table 3', 'route add 2001:1::/64 via 2001:10:1:1::1 table 3']);
  });

  it('termination routes: IPv4 scope link, IPv6 without scope, via without dev', () => {
    expect(terminationRoute({ network: '10.1.1.0/24', family: 4 }, names, 9)).to.equal('10.1.1.0/24 dev G0000000jU00GH scope link table 9');
    expect(terminationRoute({ network: '2001:10:1:1::/64', family: 6 }, names, 9)).to.equal('2001:10:1:1::/64 dev G0000000jU00GH table 9');
    expect(terminationRoute({ network: '192.168.1.0/24', family: 4, via: '10.1.1.1' }, names, 9)).to.equal('192.168.1.0/24 via 10.1.1.1 table 9');
  });

  it('sets the five sysctls on the VRF and the host veth', () => {
    const sysctls = sysctlsOf(names);
    expect(sysctls).to.have.length(10);
    expect(sysctls).to.deep.include(['net.ipv4.conf.G0000000jU00GV.rp_filter', '0']);
    expect(sysctls).to.deep.include(['net.ipv6.conf.G0000000jU00GH.proxy_ndp', '1']);
    expect(sysctls).to.deep.include(['net.ipv4.conf.G0000000jU00GH.proxy_arp', '1']);
  });

  it('registers hex ids, host routes of the addresses and the via terminations', () => {
    expect(registrationOf(conf)).to.deep.equal({
      vpc: '0000000004d2',
      vpcattachment: '002a',
      networks: ['10.1.1.1/32', '2001:10:1:1::1/128', '192.168.1.0/24'],
    });
  });

  it('hands host-device the guest end and the same IPAM', () => {
    const c = hostDeviceConfig(conf, names, '1.0.0');
    expect(c).to.deep.equal({ cniVersion: '1.0.0', name: 'default-sjc', type: 'host-device', device: 'G0000000jU00GG', ipam: SPEC_EXAMPLE.ipam });
    const { name: _n, ...noName } = SPEC_EXAMPLE;
    expect(hostDeviceConfig(parseNetConf(noName), names, '0.4.0').name).to.equal('galactic-0000000004d2-002a');
  });

  it('round-trips the owner alias', () => {
    expect(parseOwnerAlias(ownerAlias('abc_1.2-3', 'net1'))).to.deep.equal({ containerId: 'abc_1.2-3', ifname: 'net1' });
    expect(parseOwnerAlias('something else')).to.equal(undefined);
    expect(parseOwnerAlias(undefined)).to.equal(undefined);
  });

  it('refuses to write an owner alias that an ip batch line would cut or split', () => {
    for (const [containerId, ifname] of [['c1', 'eth#0'], ['c1', 'a b'], ['c1', 'a"b'], ['c 1', 'net1'], ['c#1', 'net1'], ['c1', 'a\nlink del lo']]) {
      expect(() => ownerAlias(containerId!, ifname!), `${containerId} ${ifname}`).to.throw(/cannot write the owner .* into an ip batch line/);
    }
  });
});
