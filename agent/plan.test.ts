// Intent ⇒ desired kernel state, resolved against the kernel's VRFs.
import { expect } from 'chai';
import { hostVethName, vrfName } from '../lib/names.js';
import { type ObservedKernel, egressRoute, emptyObserved, proxyKey, routeKey } from './kernel-state.js';
import { applyActions, diff, formatAction } from './diff.js';
import { type Intent, Planner, type Registration, type RouterRoute, plan, routerRouteKey } from './plan.js';

const SID = '2001:db8:ff01::beef:1';
const REMOTE = '2001:db8:ff02::beef:2';
const registration: Registration = { sid: SID, vpc: 0xbeefn, attachment: 1n, networks: ['10.1.1.1/32'] };
const VRF = vrfName(0xbeefn, 1n);
const VETH = hostVethName(0xbeefn, 1n);

function route(network: string, endpoint = SID): RouterRoute {
  return { endpoint, network, family: network.includes(':') ? 6 : 4, segments: [REMOTE] };
}

function intentOf(routes: RouterRoute[], resyncing = false, registrations = [registration]): Intent {
  return {
    registrations: new Map(registrations.map((r) => [r.sid, r])),
    routes: new Map(routes.map((r) => [routerRouteKey(r.endpoint, r.network), r])),
    resyncing,
    version: 1,
  };
}

function kernelWithVrf(): ObservedKernel {
  const observed = emptyObserved();
  observed.links.set(VRF, { name: VRF, kind: 'vrf', vrfTable: 7 });
  observed.links.set(VETH, { name: VETH, kind: 'veth' });
  return observed;
}

describe('agent plan', () => {
  it('an ingress route per registration into its VRF table, egress routes in that table, proxies for host routes only', () => {
    const { desired, problems } = plan(intentOf([route('10.1.1.2/32'), route('192.168.2.0/24'), route('2001:10:1:1::2/128')]), kernelWithVrf(), 'lo-galactic');
    expect(problems).to.deep.equal([]);
    expect(desired.routes.get(routeKey(6, 254, `${SID}/128`))).to.deep.equal({ kind: 'ingress', family: 6, table: 254, dst: `${SID}/128`, vrf: VRF, vrfTable: 7 });
    expect(desired.routes.get(routeKey(4, 7, '192.168.2.0/24'))).to.deep.equal(egressRoute(4, 7, '192.168.2.0/24', [REMOTE]));
    expect([...desired.proxies.keys()]).to.deep.equal([proxyKey('10.1.1.2', VETH), proxyKey('2001:10:1:1::2', VETH)]);
  });

  it('a registration without its VRF is a problem, and so are its routes: nothing is programmed for it', () => {
    const { desired, problems } = plan(intentOf([route('10.1.1.2/32')]), emptyObserved(), 'lo-galactic');
    expect(desired.routes.size).to.equal(0);
    expect(problems).to.deep.equal([{ reason: 'vrf-missing', sid: SID, detail: `VRF ${VRF} does not exist (the CNI plugin creates it before Register)` }]);
  });

  it('a route for a SID with no local registration is not programmed', () => {
    const other = '2001:db8:ff01::beef:9';
    const { desired, problems } = plan(intentOf([route('10.1.1.2/32', other)]), kernelWithVrf(), 'lo-galactic');
    expect([...desired.routes.values()].map((r) => r.kind)).to.deep.equal(['ingress']);
    expect(problems.map((p) => [p.reason, p.sid, p.network])).to.deep.equal([['not-registered', other, '10.1.1.2/32']]);
  });

  it('never claims a destination another route holds in the table (the CNI termination routes)', () => {
    const observed = kernelWithVrf();
    observed.foreignDestinations.add('4 7 10.1.1.0/24');
    const { desired, problems } = plan(intentOf([route('10.1.1.0/24'), route('10.1.2.0/24')]), observed, 'lo-galactic');
    expect(desired.routes.has(routeKey(4, 7, '10.1.1.0/24'))).to.equal(false);
    expect(desired.routes.has(routeKey(4, 7, '10.1.2.0/24'))).to.equal(true);
    expect(problems.map((p) => p.reason)).to.deep.equal(['destination-taken']);
  });

  it('a host route whose veth is missing is still routed, without its proxy neighbour', () => {
    const observed = kernelWithVrf();
    observed.links.delete(VETH);
    const { desired, problems } = plan(intentOf([route('10.1.1.2/32')]), observed, 'lo-galactic');
    expect(desired.routes.has(routeKey(4, 7, '10.1.1.2/32'))).to.equal(true);
    expect(desired.proxies.size).to.equal(0);
    expect(problems.map((p) => p.reason)).to.deep.equal(['veth-missing']);
  });

  it('while resyncing, keeps the owned egress routes and proxies of registered attachments, and nothing else', () => {
    const observed = kernelWithVrf();
    observed.links.set('G000000cIn002V', { name: 'G000000cIn002V', kind: 'vrf', vrfTable: 8 });
    const owned = (table: number, dst: string) => ({ family: 4 as const, table, dst, metric: 0, protocol: 201, nhid: 0x47000000 });
    observed.routes.set(routeKey(4, 7, '10.1.1.2/32'), owned(7, '10.1.1.2/32'));
    observed.routes.set(routeKey(4, 8, '10.1.1.5/32'), owned(8, '10.1.1.5/32'));
    observed.routes.set(routeKey(6, 254, '2001:db8:ff01::beef:2/128'), {
      family: 6, table: 254, dst: '2001:db8:ff01::beef:2/128', metric: 1024, protocol: 201, encap: 'seg6local', action: 'End.DT46', vrfTable: 8, dev: 'G000000cIn002V',
    });
    observed.proxies.set(proxyKey('10.1.1.2', VETH), { dst: '10.1.1.2', dev: VETH });
    observed.proxies.set(proxyKey('10.1.1.5', 'G000000cIn002H'), { dst: '10.1.1.5', dev: 'G000000cIn002H' });

    const resyncing = plan(intentOf([], true), observed, 'lo-galactic').desired;
    expect([...resyncing.keepRoutes]).to.deep.equal([routeKey(4, 7, '10.1.1.2/32')]);
    expect([...resyncing.keepProxies]).to.deep.equal([proxyKey('10.1.1.2', VETH)]);
    const settled = plan(intentOf([], false), observed, 'lo-galactic').desired;
    expect(settled.keepRoutes.size + settled.keepProxies.size).to.equal(0);
  });
});

describe('agent incremental planning', () => {
  /** Deterministic pseudo-random numbers (mulberry32). */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('random route changes: update + scoped diff converge the kernel exactly like a full plan + full diff', () => {
    const next = random(7);
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
    const sids = Array.from({ length: 12 }, (_, i) => `2001:db8:ff02::${(i + 1).toString(16)}`);
    const networks = [
      ...Array.from({ length: 30 }, (_, i) => `10.2.${i}.0/24`),
      ...Array.from({ length: 20 }, (_, i) => `10.1.1.${i + 2}/32`),
      ...Array.from({ length: 20 }, (_, i) => `2001:10:1:1::${(i + 2).toString(16)}/128`),
      ...Array.from({ length: 10 }, (_, i) => `2001:${i + 2}::/64`),
    ];
    const routes = new Map<string, RouterRoute>();
    const setRoute = (network: string, segment: string): string => {
      const key = routerRouteKey(SID, network);
      routes.set(key, { endpoint: SID, network, family: network.includes(':') ? 6 : 4, segments: [segment] });
      return key;
    };
    for (const network of networks.slice(0, 40)) setRoute(network, pick(sids));
    const intent = (): Intent => ({ registrations: new Map([[SID, registration]]), routes, resyncing: false, version: 1 });

    const observed = kernelWithVrf();
    const planner = new Planner('lo-galactic');
    applyActions(observed, diff(planner.full(intent(), observed).desired, observed));

    for (let step = 0; step < 300; step++) {
      const changed: string[] = [];
      for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
        const network = pick(networks);
        const key = routerRouteKey(SID, network);
        if (routes.has(key) && next() < 0.3) routes.delete(key);
        else setRoute(network, pick(sids));
        changed.push(key);
      }
      const { plan: updated, scope } = planner.update(intent(), observed, changed);
      applyActions(observed, diff(updated.desired, observed, undefined, scope));

      const full = plan(intent(), observed, 'lo-galactic');
      expect(updated.desired.routes, `desired routes after step ${step}`).to.deep.equal(full.desired.routes);
      expect(updated.desired.proxies).to.deep.equal(full.desired.proxies);
      expect(updated.desired.nexthopUse).to.deep.equal(full.desired.nexthopUse);
      expect(diff(full.desired, observed).map((a) => formatAction(a)), `full diff after step ${step}`).to.deep.equal([]);
    }
    expect(observed.nexthops.size, 'one nexthop per SID and family in use').to.equal(observed.nexthopsByKey.size);
  });
});
