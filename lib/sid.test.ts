import { expect } from 'chai';
import { decodeSid, encodeSid, loopbackSid, parseSrv6Net, sidBelongsTo } from './sid.js';

describe('SID encoding', () => {
  const net = parseSrv6Net('2001:db8:ff01::/48');

  it('encodes the SPEC example', () => {
    expect(encodeSid(net, { vpc: 0x4d2n, attachment: 0x2an })).to.equal('2001:db8:ff01::4d2:2a');
  });

  it('decodes vpc from bits 16..63 and attachment from bits 0..15', () => {
    expect(decodeSid('2001:db8:ff01::4d2:2a')).to.deep.equal({ vpc: 0x4d2n, attachment: 0x2an });
    expect(decodeSid(encodeSid(net, { vpc: 0xfffffffffffen, attachment: 0xfffen }))).to.deep.equal({
      vpc: 0xfffffffffffen,
      attachment: 0xfffen,
    });
  });

  it('places the loopback at the reserved all-ones values', () => {
    expect(loopbackSid(net)).to.equal('2001:db8:ff01:0:ffff:ffff:ffff:ffff');
  });

  it('rejects srv6_net longer than /64 or not IPv6', () => {
    expect(() => parseSrv6Net('2001:db8::/80')).to.throw(/64 or shorter/);
    expect(() => parseSrv6Net('10.0.0.0/8')).to.throw(/IPv6/);
    expect(() => decodeSid('10.0.0.1')).to.throw(/IPv6/);
  });

  it('tells local SIDs from remote ones', () => {
    expect(sidBelongsTo(net, '2001:db8:ff01::4d2:2a')).to.equal(true);
    expect(sidBelongsTo(net, '2001:db8:ff02::4d2:2a')).to.equal(false);
  });

  it('ignores host bits given in srv6_net', () => {
    expect(encodeSid(parseSrv6Net('2001:db8:ff01::1/48'), { vpc: 1n, attachment: 1n })).to.equal('2001:db8:ff01::1:1');
  });
});
