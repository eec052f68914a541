// Node srv6_net allocation from the pool: lowest free prefix, hand-set
// annotations win and are never rewritten, freed prefixes are reused.
import { expect } from 'chai';
import { type NodePrefixView, parseSrv6Pool, planNodePrefixes } from './srv6-pool.js';

const pool = parseSrv6Pool('2001:db8:ff00::/40', 48);
const node = (name: string, srv6Net?: string): NodePrefixView => ({ name, resourceVersion: `rv-${name}`, ...(srv6Net !== undefined ? { srv6Net } : {}) });

describe('controllers/srv6-pool: node srv6_net allocation', () => {
  it('gives nodes without a prefix the lowest free /48, conditional on the version it saw', () => {
    const plan = planNodePrefixes([node('b'), node('a')], pool);
    expect(plan).to.deep.equal({
      assign: [
        { node: 'a', resourceVersion: 'rv-a', srv6Net: '2001:db8:ff00::/48' },
        { node: 'b', resourceVersion: 'rv-b', srv6Net: '2001:db8:ff01::/48' },
      ],
      problems: [],
    });
  });

  it('keeps every annotated node as it is, hand-set or outside the pool, and allocates around them', () => {
    const plan = planNodePrefixes([node('admin', '2001:db8:ff00::/44'), node('elsewhere', '2001:db8:aaaa::/48'), node('new')], pool);
    expect(plan.assign).to.deep.equal([{ node: 'new', resourceVersion: 'rv-new', srv6Net: '2001:db8:ff10::/48' }]);
  });

  it('reuses the prefix of a node that is gone', () => {
    const plan = planNodePrefixes([node('a', '2001:db8:ff00::/48'), node('c', '2001:db8:ff02::/48'), node('d')], pool);
    expect(plan.assign.map((a) => a.srv6Net)).to.deep.equal(['2001:db8:ff01::/48']);
  });

  it('names bad or overlapping annotations and a full pool, without rewriting anything', () => {
    const small = parseSrv6Pool('2001:db8:ff00::/47', 48);
    const plan = planNodePrefixes([node('a', 'nonsense'), node('b', '2001:db8:ff00::/48'), node('c', '2001:db8:ff00::/48'), node('d', '2001:db8:ff01::/48'), node('e')], small);
    expect(plan.assign).to.deep.equal([]);
    expect(plan.problems).to.deep.equal([
      'node a: galactic.datumapis.com/srv6-net "nonsense" is not an IPv6 prefix of /64 or shorter; fix or remove the annotation',
      'nodes b and c have overlapping galactic.datumapis.com/srv6-net 2001:db8:ff00::/48 and 2001:db8:ff00::/48; give one of them another prefix',
      'node e: the SRv6 pool 2001:db8:ff00::/47 has no free /48 left; enlarge --srv6-pool or annotate the node by hand',
    ]);
  });

  it('rejects a pool it cannot use, naming the option', () => {
    expect(() => parseSrv6Pool('10.0.0.0/8', 48)).to.throw(/--srv6-pool 10.0.0.0\/8 is IPv4/);
    expect(() => parseSrv6Pool('2001:db8:ff00::1/40', 48)).to.throw(/host bits set; use 2001:db8:ff00::\/40/);
    expect(() => parseSrv6Pool('2001:db8:ff00::/40', 40)).to.throw(/--srv6-node-prefix-length 40 must be longer/);
    expect(() => parseSrv6Pool('2001:db8:ff00::/40', 80)).to.throw(/at most 64/);
  });
});
