// The router's per-worker anti-entropy loops (router/worker-loops.ts): the
// pure diff, and the loops against a real router with its embedded Aedes
// broker and fake agents, with a short interval.
import { expect } from 'chai';
import { registrationLine, routeLine, summarise } from '../lib/anti-entropy.js';
import { memoryLogger } from '../lib/log.js';
import { createRegistry } from '../lib/metrics.js';
import { waitFor } from '../lib/wait.js';
import { decodeMessage, encodeMessage, type Message, type SetSummary } from '../proto/remote.js';
import { RouterCore } from './core.js';
import { routerMetrics } from './metrics.js';
import { MemoryStore } from './store.js';
import type { FakeAgent } from './testing/agent.js';
import { sample } from './testing/metrics.js';
import { RouterFixture } from './testing/router.js';
import { askAgainAfter, type DesiredState, diffWorker, WorkerLoops, type WorkerObservation } from './worker-loops.js';

const E1 = '2001:db8:1::4d2:1';
const E2 = '2001:db8:2::4d2:1';

describe('diffWorker (router anti-entropy, pure)', () => {
  const INTERVAL = 30_000;
  const TIMING = { intervalMs: INTERVAL, summaryTimeoutMs: 5_000 };
  const held = summarise(['a']);
  const other = summarise(['a', 'b']);
  const desired = (asOf: string, routes: SetSummary = held): DesiredState => ({ asOf, registrations: summarise([]), routes });
  const observed = (overrides: Partial<WorkerObservation> = {}): WorkerObservation => ({
    now: 100_000,
    report: { requestId: 'r1', routes: held, at: 99_000 },
    since: 0,
    answered: undefined,
    asked: undefined,
    stored: true,
    ...overrides,
  });

  it('answers a new Summary with the reply only when the worker holds what the store implies', () => {
    expect(diffWorker(desired('r1'), observed(), TIMING)).to.deep.equal(['reply']);
  });

  it('adds the full RouteSet when the route summaries differ', () => {
    expect(diffWorker(desired('r1', other), observed(), TIMING)).to.deep.equal(['reply', 'route-set']);
  });

  it('does nothing for a Summary already answered while the worker is heard from', () => {
    expect(diffWorker(desired('r1', other), observed({ answered: 'r1' }), TIMING)).to.deep.equal([]);
  });

  it('waits for the desired state of the latest Summary before answering it', () => {
    expect(diffWorker(desired('r0', other), observed(), TIMING)).to.deep.equal([]);
    expect(diffWorker(undefined, observed(), TIMING)).to.deep.equal([]);
  });

  it('asks a worker not heard from for an interval, and forgets one with nothing stored', () => {
    const silent = { report: { requestId: 'r1', routes: held, at: 100_000 - INTERVAL }, answered: 'r1' };
    expect(diffWorker(desired('r1'), observed(silent), TIMING)).to.deep.equal(['ask']);
    expect(diffWorker(desired('r1'), observed({ ...silent, stored: false }), TIMING)).to.deep.equal(['forget']);
  });

  it('asks a worker that does not answer again only after a delay that doubles per unanswered request, up to an interval', () => {
    const silent = { report: undefined, since: Number.NEGATIVE_INFINITY };
    const delays = [1, 2, 3, 4, 5].map((count) => askAgainAfter(count, TIMING) + 100);
    expect(delays).to.deep.equal([5_000, 10_000, 20_000, 30_000, 30_000]);
    for (const [i, delay] of delays.entries()) {
      const asked = { count: i + 1, at: 100_000 - delay };
      expect(diffWorker(undefined, observed({ ...silent, asked: { ...asked, at: asked.at + 1_000 } }), TIMING), `after ${i + 1}`).to.deep.equal([]);
      expect(diffWorker(undefined, observed({ ...silent, asked }), TIMING), `after ${i + 1}`).to.deep.equal(['ask']);
    }
  });

  it('asks at once after a (re)subscribe, and a newly seen worker only after an interval of silence', () => {
    expect(diffWorker(undefined, observed({ report: undefined, since: Number.NEGATIVE_INFINITY }), TIMING)).to.deep.equal(['ask']);
    expect(diffWorker(undefined, observed({ report: undefined, since: 90_000 }), TIMING)).to.deep.equal([]);
    expect(diffWorker(undefined, observed({ report: undefined, since: 100_000 - INTERVAL }), TIMING)).to.deep.equal(['ask']);
  });
});

describe('router anti-entropy loops (embedded Aedes, short interval)', function () {
  this.timeout(30_000);
  const fixture = new RouterFixture();
  afterEach(() => fixture.stop());

  /** Answers every SummaryRequest with a Summary reporting `routes`, each under a new request id. */
  const answerRequests = (agent: FakeAgent, routes: () => SetSummary): string[] => {
    const ids: string[] = [];
    agent.client.on('message', (_topic, payload) => {
      if (decodeMessage(payload).kind !== 'summaryRequest') return;
      const requestId = `${agent.worker}:${ids.length + 1}`;
      ids.push(requestId);
      void agent.send({ kind: 'summary', requestId, registrations: summarise([]), routes: routes() });
    });
    return ids;
  };
  /** A router asking after 400 ms of silence, node1 and node2 registered in one VPC, each holding its route. */
  const twoWorkers = async (): Promise<[FakeAgent, FakeAgent]> => {
    await fixture.start({ antiEntropy: { intervalMs: 400, summaryTimeoutMs: 2_000 } });
    const [node1, node2] = [await fixture.agent('node1'), await fixture.agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node1.waitForRoutes(1);
    await node2.waitForRoutes(1);
    return [node1, node2];
  };
  const kinds = (messages: Message[]): string[] => messages.map((m) => m.kind).filter((k) => k !== 'route');

  it('asks a silent worker for its Summary; a worker whose routes diverged gets the full RouteSet, one that holds them gets none', async () => {
    const [node1, node2] = await twoWorkers();
    // node1 lost its route (it reports holding nothing); node2 holds exactly what the store implies. Neither sends on its own.
    // Once it has the set it reports holding it.
    answerRequests(node1, () => summarise(node1.received.flatMap((m) => (m.kind === 'routeSet' ? m.routes.map(routeLine) : []))));
    answerRequests(node2, () => summarise([routeLine({ network: '10.1.1.1/32', srv6Endpoint: E2, srv6Segments: [E1] })]));
    const set = await waitFor(() => node1.received.find((m) => m.kind === 'routeSet'), { what: 'node1 to get the full RouteSet' });
    expect(set).to.deep.equal({ kind: 'routeSet', requestId: 'node1:1', part: 0, parts: 1, routes: [{ network: '10.1.1.2/32', srv6Endpoint: E1, srv6Segments: [E2] }] });
    expect(kinds(node1.received).slice(0, 3)).to.deep.equal(['summaryRequest', 'summaryReply', 'routeSet']);
    // node2 is asked and answered too, and never sent a set; nor is node1 again once it reports holding it.
    await waitFor(() => node2.received.filter((m) => m.kind === 'summaryReply').length >= 2, { what: 'node2 to be answered twice' });
    await waitFor(() => node1.received.filter((m) => m.kind === 'summaryReply').length >= 2, { what: 'node1 to be answered twice' });
    expect(kinds(node2.received).slice(0, 2)).to.deep.equal(['summaryRequest', 'summaryReply']);
    expect(node2.received.some((m) => m.kind === 'routeSet')).to.equal(false);
    expect(node1.received.filter((m) => m.kind === 'routeSet')).to.have.length(1);
    expect(sample(await fixture.metrics(), 'galactic_router_anti_entropy_repairs_total', { set: 'routes' })).to.equal(1);
  });

  it('asks a worker that never answers again with backoff, not in a flood', async () => {
    // Silent after 1 s, checked every 250 ms; asked again after 250, 500, 1,000, 1,000 ms.
    const timing = { intervalMs: 1_000, summaryTimeoutMs: 250 };
    await fixture.start({ antiEntropy: timing });
    const node1 = await fixture.agent('node1');
    await node1.register('10.1.1.1/32', E1);
    const asked: number[] = [];
    node1.client.on('message', (_topic, payload) => {
      if (decodeMessage(payload).kind === 'summaryRequest') asked.push(performance.now());
    });
    await waitFor(() => asked.length >= 5, { what: 'node1 to be asked five times', timeoutMs: 20_000 });
    const gaps = asked.slice(1, 5).map((at, i) => at - asked[i]!);
    // Lower bounds only (load can only stretch them).
    for (const [i, gap] of gaps.entries()) expect(gap, `gap ${i + 1} of ${gaps.map(Math.round).join(', ')} ms`).to.be.at.least(askAgainAfter(i + 1, timing) - 20);
  });

  it('answers a worker that reports what the store implies with the reply only, never a RouteSet', async () => {
    const [node1] = await twoWorkers();
    const holding = summarise([routeLine({ network: '10.1.1.2/32', srv6Endpoint: E1, srv6Segments: [E2] })]);
    const ids = answerRequests(node1, () => holding);
    // Several rounds of periodic passes: each Summary answered, no set.
    await waitFor(() => ids.length >= 3 && node1.received.filter((m) => m.kind === 'summaryReply').length >= 3, { what: 'three answered rounds' });
    const replies = node1.received.filter((m) => m.kind === 'summaryReply');
    expect(replies[0]).to.deep.equal({
      kind: 'summaryReply',
      requestId: 'node1:1',
      registrations: summarise([registrationLine({ network: '10.1.1.1/32', srv6Endpoint: E1 })]),
      routes: holding,
    });
    expect(node1.received.some((m) => m.kind === 'routeSet')).to.equal(false);
  });
});

describe('router anti-entropy loops with a slow store', () => {
  /** A store whose reads of a worker's VPCs wait until the test opens the gate, and are counted. */
  class SlowStore extends MemoryStore {
    reads = 0;
    private gate: Promise<void> = Promise.resolve();
    release: () => void = () => undefined;
    hold(): void {
      this.gate = new Promise((resolve) => (this.release = resolve));
    }
    override async vpcsOf(worker: string): Promise<string[]> {
      this.reads += 1;
      await this.gate;
      return super.vpcsOf(worker);
    }
  }

  it('answers only the newest of the Summaries that queued up behind a slow read, with one more read', async () => {
    const store = new SlowStore();
    const core = new RouterCore({ store, topicBase: 'galactic', holddownMs: 0, logger: memoryLogger('core'), metrics: routerMetrics(createRegistry('test', { defaults: false })) });
    await core.handle('galactic/node1/send', encodeMessage({ kind: 'register', network: '10.1.1.1/32', srv6Endpoint: E1 }));
    await core.handle('galactic/node2/send', encodeMessage({ kind: 'register', network: '10.1.1.2/32', srv6Endpoint: E2 }));
    const published: Message[] = [];
    const loops = new WorkerLoops({ source: core, publish: async (_worker, messages) => published.push(...messages), intervalMs: 60_000, logger: memoryLogger('loops') });
    try {
      store.hold();
      const readsBefore = store.reads;
      for (let n = 1; n <= 5; n++) loops.heard({ worker: 'node1', summary: { requestId: `s${n}`, routes: summarise([]) } });
      expect(store.reads - readsBefore, 'one read while the store is slow').to.equal(1);
      store.release();
      await waitFor(() => published.some((m) => m.kind === 'summaryReply'), { what: 'the reply' });
      await waitFor(() => published.some((m) => m.kind === 'routeSet'), { what: 'the route set' });
      expect(published.filter((m) => m.kind === 'summaryReply').map((m) => m.kind === 'summaryReply' && m.requestId)).to.deep.equal(['s5']);
      // The read for s1, then one for s5 (the newest when it ended), then the route set's.
      expect(store.reads - readsBefore).to.equal(3);
    } finally {
      loops.stop();
    }
  });
});
