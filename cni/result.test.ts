import { expect } from 'chai';
import { compareVersions, delegateVersion, parseResult, renderResult } from './result.js';

const result = {
  interfaces: [{ name: 'galactic0', mac: '02:00:00:00:00:01', sandbox: '/var/run/netns/pod' }, { name: 'G0000000jU00GH' }],
  ips: [
    { address: '10.1.1.1/24', interface: 0 },
    { address: '2001:10:1:1::1/64', interface: 0 },
  ],
  routes: [
    { dst: '192.168.2.0/24', gw: '10.1.1.3' },
    { dst: '2001:2::/64', gw: '2001:10:1:1::3' },
  ],
};

describe('cni results', () => {
  it('compares versions', () => {
    expect(compareVersions('0.4.0', '1.0.0')).to.equal(-1);
    expect(compareVersions('1.1.0', '1.0.0')).to.equal(1);
    expect(compareVersions('0.3.1', '0.3.1')).to.equal(0);
    expect(compareVersions('0.10.0', '0.9.0')).to.equal(1);
  });

  it('renders 1.0.0 and 1.1.0 as is', () => {
    expect(renderResult(result, '1.1.0')).to.deep.equal({ cniVersion: '1.1.0', ...result });
    expect(renderResult(result, '1.0.0')).to.deep.equal({ cniVersion: '1.0.0', ...result });
  });

  it('renders 0.3.x and 0.4.0 with a version on each IP', () => {
    const out = renderResult(result, '0.4.0') as { ips: Array<{ version: string }> };
    expect(out.ips.map((ip) => ip.version)).to.deep.equal(['4', '6']);
    expect(renderResult(result, '0.3.1')).to.have.property('interfaces');
  });

  it('renders 0.1.0 and 0.2.0 as ip4/ip6 with their routes', () => {
    expect(renderResult(result, '0.2.0')).to.deep.equal({
      cniVersion: '0.2.0',
      ip4: { ip: '10.1.1.1/24', routes: [{ dst: '192.168.2.0/24', gw: '10.1.1.3' }] },
      ip6: { ip: '2001:10:1:1::1/64', routes: [{ dst: '2001:2::/64', gw: '2001:10:1:1::3' }] },
    });
  });

  it('reads any version back into the same result', () => {
    for (const version of ['1.1.0', '1.0.0', '0.4.0', '0.3.0']) {
      expect(parseResult(renderResult(result, version)), version).to.deep.equal(result);
    }
    const legacy = parseResult(renderResult(result, '0.1.0'));
    expect(legacy.ips).to.deep.equal([{ address: '10.1.1.1/24' }, { address: '2001:10:1:1::1/64' }]);
    expect(legacy.routes).to.deep.equal(result.routes);
  });

  it('speaks 1.0.0 to host-device when asked for 1.1.0, the caller\'s version otherwise', () => {
    expect(delegateVersion('1.1.0')).to.equal('1.0.0');
    expect(delegateVersion('1.0.0')).to.equal('1.0.0');
    expect(delegateVersion('0.4.0')).to.equal('0.4.0');
  });
});
