import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { registrationLine, routeLine, SetAssembler, sameSummary, splitSet, summarise } from './anti-entropy.js';

describe('anti-entropy digests and sets', () => {
  it('digests the distinct sorted lines, each followed by a newline (the definition in remote.proto)', () => {
    const expected = createHash('sha256').update('a\nb\n').digest('hex');
    expect(summarise(['b', 'a', 'b'])).to.deep.equal({ count: 2, digest: expected });
    expect(summarise([])).to.deep.equal({ count: 0, digest: createHash('sha256').update('').digest('hex') });
  });

  it('lines are canonical: the same set written differently has the same digest', () => {
    expect(registrationLine({ network: '2001:DB8:0::/64', srv6Endpoint: '2001:db8:ff01:0:0:0:beef:1' })).to.equal('2001:db8::/64 2001:db8:ff01::beef:1');
    expect(routeLine({ network: '10.1.1.7/24', srv6Endpoint: '2001:DB8::1', srv6Segments: ['2001:db8:0::2', '2001:db8::3'] })).to.equal('2001:db8::1 10.1.1.0/24 2001:db8::2,2001:db8::3');
    // Text that is not an address is kept as is, so it never matches a real one.
    expect(registrationLine({ network: 'junk', srv6Endpoint: 'x' })).to.equal('junk x');
  });

  it('any difference in a set changes the summary', () => {
    const base = summarise(['2001:db8::1 10.1.1.2/32 2001:db8::2']);
    expect(sameSummary(base, summarise(['2001:db8::1 10.1.1.2/32 2001:db8::2']))).to.equal(true);
    expect(sameSummary(base, summarise(['2001:db8::1 10.1.1.2/32 2001:db8::3']))).to.equal(false);
    expect(sameSummary(base, { ...base, count: 2 })).to.equal(false);
  });

  it('splits a set into bounded parts; an empty set is one empty part', () => {
    expect(splitSet([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(splitSet([], 2)).to.deep.equal([[]]);
  });

  it('assembles a set from parts in any order, with duplicates, and starts over on another set id', () => {
    const sets = new SetAssembler<number>();
    expect(sets.add('w', 's1', 1, 2, [3, 4])).to.equal(undefined);
    expect(sets.add('w', 's1', 1, 2, [3, 4]), 'a duplicated part').to.equal(undefined);
    expect(sets.add('w', 's1', 0, 2, [1, 2])).to.deep.equal([1, 2, 3, 4]);
    // A stale part of s2 interleaved with s3: never mixed.
    expect(sets.add('w', 's2', 0, 2, [9])).to.equal(undefined);
    expect(sets.add('w', 's3', 0, 2, [5])).to.equal(undefined);
    expect(sets.add('w', 's2', 1, 2, [9])).to.equal(undefined);
    expect(sets.add('w', 's3', 1, 2, [6])).to.equal(undefined);
    expect(sets.add('w', 's3', 0, 2, [5])).to.deep.equal([5, 6]);
    // Keys are independent.
    expect(sets.add('x', 's1', 0, 1, [7])).to.deep.equal([7]);
  });
});
