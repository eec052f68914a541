import { expect } from 'chai';
import { type Churned, RouterRecord, judgeRemoval, liveThroughout } from './route-losses.js';

const L = '2001:db8:1::1:1';
const P = '2001:db8:2::1:2';
const at = (ms: number): string => new Date(ms).toISOString();
const registered = (endpoint: string, ms: number): Record<string, unknown> => ({ time: at(ms), msg: 'registered', endpoint });
const deregistered = (endpoint: string, ms: number): Record<string, unknown> => ({ time: at(ms), msg: 'deregistered', endpoint });
const routeSetRead = (requestId: string, ms: number): Record<string, unknown> => ({ time: at(ms), msg: 'anti-entropy summary', requestId, routesDiffer: true });
const steady: Churned = { endpoint: L, history: [] };

describe('bench/chaos route-loss judgement', () => {
  it('excuses a removal by a deregistration the router applied after reading the route set that last confirmed the route', () => {
    // P off at 1 s, on again at 2 s; the router reads a route set at 2.5 s before it has applied either.
    const peer: Churned = { endpoint: P, history: [{ at: 1000, live: false }, { at: 2000, live: true }] };
    const record = new RouterRecord([registered(L, 100), registered(P, 100), routeSetRead('boot:7', 2500), deregistered(P, 3000), registered(P, 3800)]);
    const judgement = judgeRemoval(record, 3500, { at: 2600, requestId: 'boot:7' }, steady, peer);
    expect(judgement).to.include({ loss: false, appliedPeer: 100 });
  });

  it('counts a removal when the registration the route was confirmed from is still current: a stale deregistration replayed', () => {
    // P's deregistration at 1 s is lost; its re-registration at 2 s is applied (the ADD confirms the route); then the stale one is replayed.
    const peer: Churned = { endpoint: P, history: [{ at: 1000, live: false }, { at: 2000, live: true }] };
    const record = new RouterRecord([registered(L, 100), registered(P, 100), registered(P, 2100), deregistered(P, 5000)]);
    const judgement = judgeRemoval(record, 5500, { at: 2150 }, steady, peer);
    expect(judgement).to.include({ loss: true, appliedPeer: 2100, appliedLocal: 100 });
  });

  it('places a route set at its reading before it arrived, not at a later answer to the same request', () => {
    const peer: Churned = { endpoint: P, history: [{ at: 1000, live: false }, { at: 2000, live: true }] };
    const record = new RouterRecord([registered(L, 100), registered(P, 100), routeSetRead('boot:7', 900), registered(P, 2100), routeSetRead('boot:7', 2200)]);
    expect(judgeRemoval(record, 3000, { at: 950, requestId: 'boot:7' }, steady, peer).loss).to.equal(false);
    expect(judgeRemoval(record, 3000, { at: 2300, requestId: 'boot:7' }, steady, peer).loss).to.equal(true);
  });

  it('counts a removal whose confirmation the router never logged', () => {
    const record = new RouterRecord([registered(L, 100), registered(P, 100)]);
    expect(judgeRemoval(record, 3000, { at: 2000, requestId: 'unknown' }, steady, { endpoint: P, history: [] })).to.include({ loss: true });
    expect(judgeRemoval(record, 3000, undefined, steady, { endpoint: P, history: [] })).to.include({ loss: true });
  });

  it('judges liveness over the closed interval', () => {
    const churned: Churned = { endpoint: P, history: [{ at: 1000, live: false }, { at: 2000, live: true }] };
    expect(liveThroughout(churned, 0, 999)).to.equal(true);
    expect(liveThroughout(churned, 0, 1000)).to.equal(false);
    expect(liveThroughout(churned, 1500, 3000)).to.equal(false);
    expect(liveThroughout(churned, 2000, 3000)).to.equal(true);
  });
});
