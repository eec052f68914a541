// The pure diff: desired vs observed ⇒ ordered ip -batch lines.
import { expect } from 'chai';
import { type Action, NexthopRangeExhaustedError, applyActions, diff, formatAction } from './diff.js';
import {
  type DesiredKernel,
  type DesiredRoute,
  type EgressRoute,
  MAIN_TABLE,
  NEXTHOP_ID_RANGE,
  type ObservedKernel,
  cloneObserved,
  egressRoute,
  emptyDesired,
  emptyObserved,
  parseObserved,
  proxyKey,
  routeKey,
  setDesiredRoute,
  setObservedNexthop,
  deleteObservedNexthop,
} from './kernel-state.js';
import { plan, routerRouteKey, type Intent, type Registration, type RouterRoute } from './plan.js';
import { CAPTURE_FACTS, capturedOutput } from './testing/capture.js';

const N = NEXTHOP_ID_RANGE.first;
const SID_A = '2001:db8:ff02::a';
const SID_B = '2001:db8:ff03::b';
const SID_C = '2001:db8:ff04::c';
const H = 'G000000cIn001H';

const egress = (dst: string, segs: string[], table = 7): EgressRoute => egressRoute(dst.includes(':') ? 6 : 4, table, dst, segs);

function desiredOf(routes: DesiredRoute[], proxies: string[] = [], encapDevice = 'lo-galactic'): DesiredKernel {
  const desired = emptyDesired(encapDevice);
  for (const route of routes) setDesiredRoute(desired, routeKey(route.family, route.table, route.dst), route);
  for (const dst of proxies) desired.proxies.set(proxyKey(dst, H), { dst, dev: H });
  return desired;
}

const lines = (actions: Action[]): string[] => actions.map((a) => formatAction(a));

/** The observation after the kernel carried out `actions`. */
const after = (observed: ObservedKernel, actions: Action[]): ObservedKernel => applyActions(cloneObserved(observed), actions);

/** Converges from `observed` and checks that a second diff is empty. */
function converge(desired: DesiredKernel, observed: ObservedKernel): ObservedKernel {
  const next = after(observed, diff(desired, observed));
  expect(lines(diff(desired, next)), 'second pass').to.deep.equal([]);
  return next;
}

describe('agent diff', () => {
  it('from empty: nexthops first (IPv6 ones marked -6), then routes, then proxy neighbours', () => {
    const desired = desiredOf(
      [
        { kind: 'ingress', family: 6, table: MAIN_TABLE, dst: '2001:db8:ff01::beef:1/128', vrf: 'G000000cIn001V', vrfTable: 7 },
        egress('10.1.1.2/32', [SID_A]),
        egress('2001:10:1:1::2/128', [SID_A]),
        egress('192.168.2.0/24', [SID_A]),
      ],
      ['10.1.1.2', '2001:10:1:1::2'],
    );
    expect(lines(diff(desired, emptyObserved()))).to.deep.equal([
      `nexthop add id ${N} encap seg6 mode encap segs ${SID_A} dev lo-galactic`,
      `-6 nexthop add id ${N + 1} encap seg6 mode encap segs ${SID_A} dev lo-galactic`,
      'route replace 2001:db8:ff01::beef:1/128 encap seg6local action End.DT46 vrftable 7 dev G000000cIn001V proto 201',
      `route replace 10.1.1.2/32 nhid ${N} table 7 proto 201`,
      `route replace 2001:10:1:1::2/128 nhid ${N + 1} table 7 proto 201`,
      `route replace 192.168.2.0/24 nhid ${N} table 7 proto 201`,
      `neigh replace proxy 10.1.1.2 dev ${H}`,
      `neigh replace proxy 2001:10:1:1::2 dev ${H}`,
    ]);
  });

  it('no flapping on restart: the kernel as captured equals the desired state ⇒ zero lines', () => {
    const observed = parseObserved(capturedOutput());
    const registration: Registration = { sid: CAPTURE_FACTS.localSid, vpc: CAPTURE_FACTS.vpc, attachment: CAPTURE_FACTS.attachment, networks: [] };
    const routes = new Map<string, RouterRoute>(
      CAPTURE_FACTS.networks.map((network) => [
        routerRouteKey(CAPTURE_FACTS.localSid, network),
        { endpoint: CAPTURE_FACTS.localSid, network, family: network.includes(':') ? 6 : 4, segments: [CAPTURE_FACTS.remoteSid] },
      ]),
    );
    const intent: Intent = { registrations: new Map([[registration.sid, registration]]), routes, resyncing: false, version: 1 };
    const { desired, problems } = plan(intent, observed, 'lo-galactic');
    expect(problems).to.deep.equal([]);
    expect(desired.routes.size).to.equal(6);
    expect(diff(desired, observed)).to.deep.equal([]);
  });

  it('a changed route is replaced in place: its new nexthop is created before, the unused one deleted after', () => {
    const observed = converge(desiredOf([egress('10.1.1.2/32', [SID_A]), egress('10.1.1.3/32', [SID_B])]), emptyObserved());
    const changed = desiredOf([egress('10.1.1.2/32', [SID_A]), egress('10.1.1.3/32', [SID_C])]);
    expect(lines(diff(changed, observed))).to.deep.equal([
      `nexthop add id ${N + 2} encap seg6 mode encap segs ${SID_C} dev lo-galactic`,
      `route replace 10.1.1.3/32 nhid ${N + 2} table 7 proto 201`,
      `nexthop del id ${N + 1}`,
    ]);
    converge(changed, observed);
  });

  it('removes stale routes before their nexthop, and only what it owns', () => {
    const observed = converge(desiredOf([egress('10.1.1.2/32', [SID_A]), egress('2001:2::/64', [SID_A])], ['10.1.1.2']), emptyObserved());
    observed.foreignDestinations.add('4 7 10.1.1.0/24');
    expect(lines(diff(desiredOf([]), observed))).to.deep.equal([
      'route del 10.1.1.2/32 table 7 proto 201',
      'route del 2001:2::/64 table 7 proto 201 metric 1024',
      `neigh del proxy 10.1.1.2 dev ${H}`,
      `nexthop del id ${N}`,
      `nexthop del id ${N + 1}`,
    ]);
  });

  it('allocates nexthop ids deterministically (sorted keys, lowest free id) and never renumbers existing ones', () => {
    const routes = [egress('10.0.0.0/24', [SID_B]), egress('10.0.1.0/24', [SID_A])];
    const forward = diff(desiredOf(routes), emptyObserved());
    expect(lines(diff(desiredOf([...routes].reverse()), emptyObserved())).sort()).to.deep.equal(lines(forward).sort());
    const observed = after(emptyObserved(), forward);
    expect(observed.nexthops.get(N)?.segs).to.deep.equal([SID_A]);

    // A new SID sorting before the others takes a free id; existing ids stay.
    deleteObservedNexthop(observed, N); // a hole in the range (and its route is gone with it)
    observed.routes.delete(routeKey(4, 7, '10.0.1.0/24'));
    const grown = desiredOf([egress('10.0.0.0/24', [SID_B]), egress('10.0.2.0/24', ['2001:db8:1::1'])]);
    expect(lines(diff(grown, observed))).to.deep.equal([
      `nexthop add id ${N} encap seg6 mode encap segs 2001:db8:1::1 dev lo-galactic`,
      `route replace 10.0.2.0/24 nhid ${N} table 7 proto 201`,
    ]);
  });

  it('reuses the nexthop the kernel already has for a SID, under any id in the range', () => {
    const observed = emptyObserved();
    setObservedNexthop(observed, { id: N + 500, family: 4, encap: 'seg6', segs: [SID_A], dev: 'lo-galactic' });
    expect(lines(diff(desiredOf([egress('10.1.1.2/32', [SID_A])]), observed))).to.deep.equal([`route replace 10.1.1.2/32 nhid ${N + 500} table 7 proto 201`]);
  });

  it('collapses duplicate nexthops of one SID onto the lowest id', () => {
    const observed = emptyObserved();
    for (const id of [N + 7, N + 3]) setObservedNexthop(observed, { id, family: 4, encap: 'seg6', segs: [SID_A], dev: 'lo-galactic' });
    observed.routes.set(routeKey(4, 7, '10.1.1.2/32'), { family: 4, table: 7, dst: '10.1.1.2/32', metric: 0, protocol: 201, nhid: N + 7 });
    const desired = desiredOf([egress('10.1.1.2/32', [SID_A])]);
    expect(lines(diff(desired, observed))).to.deep.equal([`route replace 10.1.1.2/32 nhid ${N + 3} table 7 proto 201`, `nexthop del id ${N + 7}`]);
    converge(desired, observed);
  });

  it('points an existing nexthop at a new encap device with a replace, leaving its routes alone', () => {
    const observed = converge(desiredOf([egress('10.1.1.2/32', [SID_A])], [], 'lo'), emptyObserved());
    expect(lines(diff(desiredOf([egress('10.1.1.2/32', [SID_A])]), observed))).to.deep.equal([
      `nexthop replace id ${N} encap seg6 mode encap segs ${SID_A} dev lo-galactic`,
    ]);
  });

  it('replaces an ingress route whose VRF table changed, and an owned route with inline encap', () => {
    const observed = emptyObserved();
    observed.routes.set(routeKey(6, MAIN_TABLE, '2001:db8:ff01::1/128'), {
      family: 6, table: MAIN_TABLE, dst: '2001:db8:ff01::1/128', metric: 1024, protocol: 201, encap: 'seg6local', action: 'End.DT46', vrfTable: 3, dev: 'G000000cIn001V',
    });
    observed.routes.set(routeKey(4, 7, '10.1.1.2/32'), { family: 4, table: 7, dst: '10.1.1.2/32', metric: 0, protocol: 201, encap: 'seg6', segs: [SID_A], dev: 'lo-galactic' });
    const desired = desiredOf([
      { kind: 'ingress', family: 6, table: MAIN_TABLE, dst: '2001:db8:ff01::1/128', vrf: 'G000000cIn001V', vrfTable: 4 },
      egress('10.1.1.2/32', [SID_A]),
    ]);
    expect(lines(diff(desired, observed))).to.deep.equal([
      `nexthop add id ${N} encap seg6 mode encap segs ${SID_A} dev lo-galactic`,
      'route replace 2001:db8:ff01::1/128 encap seg6local action End.DT46 vrftable 4 dev G000000cIn001V proto 201',
      `route replace 10.1.1.2/32 nhid ${N} table 7 proto 201`,
    ]);
  });

  it('keeps what it is told to keep (resync under way), and the nexthops those routes use', () => {
    const observed = converge(desiredOf([egress('10.1.1.2/32', [SID_A])], ['10.1.1.2']), emptyObserved());
    const desired = desiredOf([]);
    desired.keepRoutes.add(routeKey(4, 7, '10.1.1.2/32'));
    desired.keepProxies.add(proxyKey('10.1.1.2', H));
    expect(diff(desired, observed)).to.deep.equal([]);
  });

  it('never deletes a nexthop of its range that a foreign route uses', () => {
    const observed = converge(desiredOf([egress('10.1.1.2/32', [SID_A])]), emptyObserved());
    observed.foreignNexthopRefs.add(N);
    expect(lines(diff(desiredOf([]), observed))).to.deep.equal(['route del 10.1.1.2/32 table 7 proto 201']);
  });

  it('fails clearly when the id range is full', () => {
    const ownership = { protocol: 201, nexthopIds: { first: 10, last: 11 } };
    const routes = [egress('10.0.0.0/24', [SID_A]), egress('10.0.1.0/24', [SID_B]), egress('10.0.2.0/24', [SID_C])];
    expect(() => diff(desiredOf(routes), emptyObserved(), ownership)).to.throw(NexthopRangeExhaustedError, /no free nexthop id in 10-11/);
  });

  it('scales: 20,000 routes over 10,000 SIDs converge in one diff, and one change touches only its own objects', () => {
    const routes: EgressRoute[] = [];
    for (let i = 0; i < 10_000; i++) {
      const sid = `2001:db8:${((i >> 8) + 1).toString(16)}::${(i & 0xff).toString(16)}`;
      routes.push(egress(`10.${i >> 8}.${i & 0xff}.0/24`, [sid]), egress(`2001:${i.toString(16)}::/64`, [sid]));
    }
    const desired = desiredOf(routes);
    const first = diff(desired, emptyObserved());
    expect(first.length).to.equal(40_000);
    const observed = after(emptyObserved(), first);
    const changed = desiredOf([...routes.slice(1), egress('10.0.0.0/24', [SID_A])]);
    // The first SID's IPv4 nexthop has no route left: it goes too.
    const unused = [...observed.nexthops.values()].find((n) => n.family === 4 && n.segs[0] === routes[0]!.segs[0])!.id;
    expect(lines(diff(changed, observed))).to.deep.equal([
      `nexthop add id ${N + 20_000} encap seg6 mode encap segs ${SID_A} dev lo-galactic`,
      `route replace 10.0.0.0/24 nhid ${N + 20_000} table 7 proto 201`,
      `nexthop del id ${unused}`,
    ]);
  });
});
