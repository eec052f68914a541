// Underlay routes from the Node objects (pure parts): which routes, the diff
// against what the kernel has under protocol 202, and the commands.
import { expect } from 'chai';
import { type NodeView, underlayRoutes } from './nodes.js';
import { diffUnderlay, parseUnderlayRoutes, underlayCommand } from './underlay.js';

const nodes: NodeView[] = [
  { name: 'sjc', srv6Net: '2001:db8:ff01::/48', addresses: ['2001:db8:100::1'] },
  { name: 'iad', srv6Net: '2001:db8:ff02::/48', addresses: ['192.0.2.2', '2001:db8:100::2'] },
  { name: 'ams', srv6Net: '2001:db8:ff03::/48', addresses: ['192.0.2.3', '2001:db8:100::3'] },
  { name: 'v4only', srv6Net: '2001:db8:ff04::/48', addresses: ['192.0.2.4'] },
  { name: 'new', addresses: ['2001:db8:100::4'] },
  { name: 'bad', srv6Net: 'nonsense', addresses: ['2001:db8:100::5'] },
];

describe('agent underlay routes', () => {
  it('routes every other annotated node\'s prefix via its IPv6 address, and names nodes without one', () => {
    expect(underlayRoutes('sjc', nodes)).to.deep.equal({
      routes: [
        { prefix: '2001:db8:ff02::/48', via: '2001:db8:100::2' },
        { prefix: '2001:db8:ff03::/48', via: '2001:db8:100::3' },
      ],
      unreachable: ['v4only'],
    });
  });

  it('replaces missing or moved routes and deletes those of nodes that left', () => {
    const observed = parseUnderlayRoutes([
      { dst: '2001:db8:ff02::/48', gateway: '2001:db8:100:0::2' },
      { dst: '2001:db8:ff03::/48', gateway: '2001:db8:100::30' },
      { dst: '2001:db8:ff09::/48', gateway: '2001:db8:100::9' },
    ]);
    const actions = diffUnderlay(underlayRoutes('sjc', nodes).routes, observed);
    expect(actions).to.deep.equal([
      { kind: 'replace', route: { prefix: '2001:db8:ff03::/48', via: '2001:db8:100::3' } },
      { kind: 'delete', prefix: '2001:db8:ff09::/48' },
    ]);
    expect(actions.map(underlayCommand)).to.deep.equal([
      ['-6', 'route', 'replace', '2001:db8:ff03::/48', 'via', '2001:db8:100::3', 'proto', '202'],
      ['-6', 'route', 'del', '2001:db8:ff09::/48', 'proto', '202'],
    ]);
    expect(diffUnderlay(underlayRoutes('sjc', nodes).routes, parseUnderlayRoutes([
      { dst: '2001:db8:ff02::/48', gateway: '2001:db8:100::2' },
      { dst: '2001:db8:ff03::/48', gateway: '2001:db8:100::3' },
    ]))).to.deep.equal([]);
  });
});
