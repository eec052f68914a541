import { expect } from 'chai';
import { cidrContains, formatAddress, hostRoute, isCidr, normalizeCidr, parseAddress, parseCidr } from './ip.js';

describe('ip', () => {
  it('parses and formats IPv4', () => {
    expect(parseAddress('192.0.2.1')).to.deep.equal({ family: 4, value: 0xc0000201n });
    expect(formatAddress(4, 0xc0000201n)).to.equal('192.0.2.1');
  });

  it('formats IPv6 canonically (RFC 5952)', () => {
    const cases: Array<[string, string]> = [
      ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['::', '::'],
      ['::1', '::1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ];
    for (const [input, canonical] of cases) {
      const { family, value } = parseAddress(input);
      expect(formatAddress(family, value), input).to.equal(canonical);
    }
  });

  it('rejects malformed addresses with the input in the message', () => {
    for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '2001:db8:::1', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', 'x']) {
      expect(() => parseAddress(bad), bad).to.throw(bad);
    }
  });

  it('parses CIDRs and insists on a prefix length', () => {
    expect(parseCidr('10.1.1.1/24')).to.deep.equal({ family: 4, address: 0x0a010101n, prefixLength: 24 });
    expect(() => parseCidr('10.1.1.1')).to.throw(/address\/prefix-length/);
    expect(() => parseCidr('10.1.1.1/33')).to.throw(/0\.\.32/);
    expect(() => parseCidr('2001:db8::/129')).to.throw(/0\.\.128/);
    expect(isCidr('2001:10:1:1::/64')).to.equal(true);
    expect(isCidr('2001:10:1:1::')).to.equal(false);
  });

  it('normalises networks and derives host routes', () => {
    expect(normalizeCidr('10.1.1.1/24')).to.equal('10.1.1.0/24');
    expect(normalizeCidr('2001:10:1:1::1/64')).to.equal('2001:10:1:1::/64');
    expect(hostRoute('10.1.1.1/24')).to.equal('10.1.1.1/32');
    expect(hostRoute('2001:10:1:1::1/64')).to.equal('2001:10:1:1::1/128');
  });

  it('checks containment within a family', () => {
    expect(cidrContains(parseCidr('10.1.1.0/24'), parseCidr('10.1.1.7/32'))).to.equal(true);
    expect(cidrContains(parseCidr('10.1.1.0/24'), parseCidr('10.1.2.7/32'))).to.equal(false);
    expect(cidrContains(parseCidr('10.1.1.0/24'), parseCidr('2001:db8::/64'))).to.equal(false);
  });
});
