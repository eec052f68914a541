// Parsers against real `ip -j` output captured from a kernel with VRF and
// seg6local (agent/testdata/capture.sh, run through hack/kernel).
import { expect } from 'chai';
import {
  MAIN_TABLE,
  NEXTHOP_ID_RANGE,
  ROUTE_PROTOCOL,
  parseDestination,
  parseObserved,
  parseTable,
  proxyKey,
  routeKey,
} from './kernel-state.js';
import { captureSection, capturedOutput } from './testing/capture.js';

const section = captureSection;
const captured = capturedOutput;

const NH4 = NEXTHOP_ID_RANGE.first;
const NH6 = NEXTHOP_ID_RANGE.first + 1;

describe('agent kernel state: parsing ip -j output', () => {
  for (const numeric of [true, false]) {
    describe(numeric ? 'with -N (numbers)' : 'without -N (names)', () => {
      const observed = parseObserved(captured(numeric));

      it('keeps the routes with the agent protocol, keyed by canonical prefix (host routes get /32 and /128)', () => {
        expect([...observed.routes.keys()].sort()).to.deep.equal(
          [
            routeKey(4, 7, '0.0.0.0/0'),
            routeKey(4, 7, '10.1.1.2/32'),
            routeKey(4, 7, '192.168.2.0/24'),
            routeKey(6, 7, '2001:10:1:1::2/128'),
            routeKey(6, 7, '2001:2::/64'),
            routeKey(6, MAIN_TABLE, '2001:db8:ff01::beef:1/128'),
          ].sort(),
        );
        expect(observed.routes.get(routeKey(4, 7, '10.1.1.2/32'))).to.deep.include({
          table: 7,
          metric: 0,
          protocol: ROUTE_PROTOCOL,
          nhid: NH4,
          encap: 'seg6',
          segs: ['2001:db8:ff02::beef:2'],
          dev: 'lo-galactic',
        });
        expect(observed.routes.get(routeKey(6, 7, '2001:2::/64'))).to.deep.include({ metric: 1024, nhid: NH6 });
      });

      it('reads the ingress SID route: main table (no table key), End.DT46 with its vrftable', () => {
        expect(observed.routes.get(routeKey(6, MAIN_TABLE, '2001:db8:ff01::beef:1/128'))).to.deep.include({
          table: MAIN_TABLE,
          encap: 'seg6local',
          action: 'End.DT46',
          vrfTable: 7,
          dev: 'G000000cIn001V',
        });
      });

      it('records destinations held by other routes (termination routes, inline encap) without owning them', () => {
        expect(observed.foreignDestinations.has('4 7 10.1.1.0/24')).to.equal(true);
        expect(observed.foreignDestinations.has('6 7 2001:10:1:1::/64')).to.equal(true);
        expect(observed.foreignDestinations.has('6 7 2001:9::/64')).to.equal(true);
        expect(observed.foreignDestinations.has('4 255 127.0.0.1/32')).to.equal(true);
      });

      it('keeps nexthops in the agent id range with their family, and skips foreign ones', () => {
        expect([...observed.nexthops.values()]).to.deep.equal([
          { id: NH4, family: 4, encap: 'seg6', segs: ['2001:db8:ff02::beef:2'], dev: 'lo-galactic', key: '4 2001:db8:ff02::beef:2' },
          { id: NH6, family: 6, encap: 'seg6', segs: ['2001:db8:ff02::beef:2'], dev: 'lo-galactic', key: '6 2001:db8:ff02::beef:2' },
        ]);
      });

      it('keeps proxy neighbours on G…H links and the VRF tables of links', () => {
        expect([...observed.proxies.keys()].sort()).to.deep.equal([proxyKey('10.1.1.2', 'G000000cIn001H'), proxyKey('2001:10:1:1::2', 'G000000cIn001H')]);
        expect(observed.links.get('G000000cIn001V')).to.deep.equal({ name: 'G000000cIn001V', kind: 'vrf', vrfTable: 7 });
        expect(observed.links.get('G000000cIn001H')?.kind).to.equal('veth');
        expect(observed.links.get('lo-galactic')?.kind).to.equal('dummy');
      });
    });
  }

  it('ignores the empty objects a `link show type X` filter prints for skipped links', () => {
    expect(section('link show type bond')).to.deep.equal([{}, {}, {}, {}, {}]);
    const observed = parseObserved({ ...captured(true), links: section('link show type bond') });
    expect(observed.links.size).to.equal(0);
  });

  it('normalises destinations and tables', () => {
    expect(parseDestination(4, '10.1.1.2')).to.equal('10.1.1.2/32');
    expect(parseDestination(6, '2001:DB8::1')).to.equal('2001:db8::1/128');
    expect(parseDestination(4, 'default')).to.equal('0.0.0.0/0');
    expect(parseDestination(6, 'default')).to.equal('::/0');
    expect(parseTable(undefined)).to.equal(254);
    expect(parseTable('main')).to.equal(254);
    expect(parseTable('local')).to.equal(255);
    expect(parseTable('7')).to.equal(7);
  });

  it('owns by the configured protocol and id range only', () => {
    const observed = parseObserved(captured(true), { protocol: 42, nexthopIds: { first: 1, last: 10 } });
    expect(observed.routes.size).to.equal(0);
    expect([...observed.nexthops.keys()]).to.deep.equal([5]);
  });
});
