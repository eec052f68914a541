import { expect } from 'chai';
import { parseAddress, parseCidr } from '../lib/ip.js';
import { addressInPool, addressReservationName, endpointReservationName, heldIn, pickAddress, poolRange, poolSize, poolsByFamily } from './pools.js';

const v4 = (text: string) => parseAddress(text).value;

describe('controllers/pools', () => {
  it('offers IPv4 pools without network and broadcast, IPv6 pools without the subnet-router anycast address', () => {
    expect(poolSize(parseCidr('192.0.2.0/30'))).to.equal(2n);
    expect(poolRange(parseCidr('192.0.2.0/30'))).to.deep.equal({ first: v4('192.0.2.1'), last: v4('192.0.2.2') });
    expect(poolSize(parseCidr('2001:db8::/126'))).to.equal(3n);
    expect(poolSize(parseCidr('2001:db8::/64'))).to.equal((1n << 64n) - 1n);
  });

  it('picks a free address and none from an exhausted pool', () => {
    const pool = parseCidr('192.0.2.0/29');
    const taken = new Set([1, 2, 3, 4, 5].map((i) => v4(`192.0.2.${i}`)));
    expect(pickAddress(pool, taken)).to.equal(v4('192.0.2.6'));
    taken.add(v4('192.0.2.6'));
    expect(pickAddress(pool, taken)).to.equal(undefined);
    expect(heldIn(pool, taken)).to.equal(6);
  });

  it('spreads picks at random over a large pool', () => {
    const pool = parseCidr('2001:db8::/64');
    const picks = new Set(Array.from({ length: 50 }, () => pickAddress(pool, new Set())));
    expect(picks.size).to.equal(50);
  });

  it('writes the address with the pool prefix length and groups pools by family in order', () => {
    expect(addressInPool(parseCidr('2001:db8::/64'), parseAddress('2001:db8::7').value)).to.equal('2001:db8::7/64');
    const byFamily = poolsByFamily(['198.51.100.0/24', '2001:db8::/64', '203.0.113.0/24']);
    expect([...byFamily.keys()]).to.deep.equal([4, 6]);
    expect(byFamily.get(4)!.map((c) => c.address)).to.deep.equal([v4('198.51.100.0'), v4('203.0.113.0')]);
  });

  it('names one reservation per VPC and address, whatever the notation', () => {
    expect(addressReservationName('0000000004d2', 4, v4('10.1.1.7'))).to.equal('0000000004d2-4-10-1-1-7');
    const a = addressReservationName('0000000004d2', 6, parseAddress('2001:db8::7').value);
    const b = addressReservationName('0000000004d2', 6, parseAddress('2001:0db8:0:0::0007').value);
    expect(a).to.equal(b).and.to.equal('0000000004d2-6-20010db8000000000000000000000007');
    expect(endpointReservationName('0000000004d2', '002a')).to.equal('0000000004d2-002a');
  });
});
