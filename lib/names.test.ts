import { expect } from 'chai';
import { guestVethName, hostVethName, parseLinkName, vrfName } from './names.js';

describe('kernel link names', () => {
  it('builds 14-character names from base62 ids', () => {
    expect(vrfName(1234n, 42n)).to.equal('G0000000jU00GV');
    expect(hostVethName(1234n, 42n)).to.equal('G0000000jU00GH');
    expect(guestVethName(1234n, 42n)).to.equal('G0000000jU00GG');
    expect(vrfName(0xfffffffffffen, 0xfffen)).to.have.length(14);
  });

  it('parses its own names back to hex ids and ignores others', () => {
    expect(parseLinkName('G0000000jU00GV')).to.deep.equal({
      vpc: 1234n, attachment: 42n, role: 'V', vpcHex: '0000000004d2', attachmentHex: '002a',
    });
    expect(parseLinkName('eth0')).to.equal(undefined);
    expect(parseLinkName('GZZZZZZZZZ00GV')).to.equal(undefined); // exceeds 48 bits
  });
});
