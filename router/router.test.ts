// The router in this process against the embedded Aedes broker on loopback:
// registrations over the wire, resync, bad input, metrics and health.
import { expect } from 'chai';
import { memoryLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import { encodeMessage } from '../proto/remote.js';
import { createRegistry } from '../lib/metrics.js';
import { RouterCore } from './core.js';
import { routerMetrics } from './metrics.js';
import type { RouterHandle } from './service.js';
import { MemoryStore } from './store.js';
import { FakeAgent } from './testing/agent.js';
import { sample } from './testing/metrics.js';
import { startTestRouter } from './testing/router.js';

const E1 = '2001:db8:1::4d2:1';
const E2 = '2001:db8:2::4d2:1';

async function metricsText(router: RouterHandle): Promise<string> {
  return (await fetch(`http://127.0.0.1:${router.healthPort}/metrics`)).text();
}

describe('router over MQTT (embedded Aedes)', function () {
  this.timeout(30_000);
  let router: RouterHandle;
  let logger: ReturnType<typeof memoryLogger>;
  let url: string;
  const agents: FakeAgent[] = [];
  const agent = async (worker: string): Promise<FakeAgent> => {
    const a = await FakeAgent.connect(url, worker);
    agents.push(a);
    return a;
  };

  beforeEach(async () => {
    ({ router, url, logger } = await startTestRouter({ health: { port: 0, host: '127.0.0.1' } }));
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
    await router.stop();
  });

  it('turns two registrations into routes on both workers', async () => {
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node1.waitForRoutes(1);
    await node2.waitForRoutes(1);
    expect(node1.rows()).to.deep.equal([`${E1} 10.1.1.2/32 → ${E2}`]);
    expect(node2.rows()).to.deep.equal([`${E2} 10.1.1.1/32 → ${E1}`]);
  });

  it('handles messages strictly in order', async () => {
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    for (let i = 0; i < 20; i++) {
      await node2.register('10.1.1.2/32', E2);
      await node2.deregister('10.1.1.2/32', E2);
    }
    await node2.register('10.1.1.9/32', E2);
    await node1.waitForRoutes(41);
    expect(node1.rows()).to.deep.equal([`${E1} 10.1.1.9/32 → ${E2}`]);
    expect(node1.routes.map((r) => r.status).slice(0, 4)).to.deep.equal(['ADD', 'DELETE', 'ADD', 'DELETE']);
  });

  it('answers a resync with the current ADDs, then resyncComplete', async () => {
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node2.register('192.168.2.0/24', E2);
    await node1.waitForRoutes(2);
    const before = node1.received.length;
    await node1.send({ kind: 'resync', requestId: 'r-7' });
    await waitFor(() => node1.received.some((m) => m.kind === 'resyncComplete'), { what: 'resyncComplete' });
    expect(node1.received.slice(before)).to.deep.equal([
      { kind: 'route', network: '10.1.1.2/32', srv6Endpoint: E1, srv6Segments: [E2], status: 'ADD' },
      { kind: 'route', network: '192.168.2.0/24', srv6Endpoint: E1, srv6Segments: [E2], status: 'ADD' },
      { kind: 'resyncComplete', requestId: 'r-7', routes: 2 },
    ]);
  });

  describe('bad input is logged, counted, dropped, and the router keeps serving', () => {
    const cases: Array<{ reason: string; what: string; send: (a: FakeAgent) => Promise<void> }> = [
      { reason: 'payload', what: 'a payload that is not an Envelope', send: (a) => a.publishRaw(Buffer.from('not protobuf at all')) },
      { reason: 'payload', what: 'an empty Envelope', send: (a) => a.publishRaw(new Uint8Array()) },
      { reason: 'endpoint', what: 'an endpoint that is not IPv6', send: (a) => a.register('10.1.1.5/32', '10.0.0.1') },
      { reason: 'endpoint', what: 'an endpoint that is not an address', send: (a) => a.register('10.1.1.5/32', 'node1') },
      { reason: 'network', what: 'a network without prefix length', send: (a) => a.register('10.1.1.5', E1) },
      { reason: 'network', what: 'a network that is not an address', send: (a) => a.deregister('ten/8', E1) },
      { reason: 'kind', what: 'a route sent by a worker', send: (a) => a.send({ kind: 'route', network: '10.1.1.5/32', srv6Endpoint: E1, srv6Segments: [E2], status: 'ADD' }) },
    ];
    for (const { reason, what, send } of cases) {
      it(`${what} (reason ${reason})`, async () => {
        const [node1, node2] = [await agent('node1'), await agent('node2')];
        await send(node1);
        await node1.register('10.1.1.1/32', E1);
        await node2.register('10.1.1.2/32', E2);
        await node2.waitForRoutes(1);
        const text = await metricsText(router);
        expect(sample(text, 'galactic_router_rejected_messages_total', { reason })).to.equal(1);
        expect(sample(text, 'galactic_router_registrations')).to.equal(2);
        const warning = logger.lines.find((l) => l.msg === 'dropped invalid message');
        expect(warning).to.include({ level: 'warn', reason });
        expect(warning).to.have.property('topic');
        expect(warning).to.include({ worker: 'node1' });
        expect(node1.rows()).to.deep.equal([`${E1} 10.1.1.2/32 → ${E2}`]);
      });
    }
  });

  it('a topic without a worker: refused by the embedded broker, dropped by the router', async () => {
    const intruder = await agent('intruder');
    const closed = new Promise<void>((resolve) => intruder.client.once('close', () => resolve()));
    intruder.send({ kind: 'register', network: '10.1.1.5/32', srv6Endpoint: E1 }, 'galactic//send').catch(() => undefined);
    await closed;
    // The router itself drops such a topic too (brokers like Mosquitto deliver it).
    const core = new RouterCore({ store: new MemoryStore(), topicBase: 'galactic/', logger, metrics: routerMetrics(createRegistry('test', { defaults: false })) });
    for (const topic of ['galactic//send', 'galactic/a/b/send', 'other/node1/send']) {
      expect(await core.handle(topic, encodeMessage({ kind: 'register', network: '10.1.1.5/32', srv6Endpoint: E1 }))).to.deep.equal([]);
    }
    expect(logger.lines.filter((l) => l.msg === 'dropped invalid message' && l.reason === 'topic').map((l) => l.topic)).to.deep.equal([
      'galactic//send',
      'galactic/a/b/send',
      'other/node1/send',
    ]);
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node2.waitForRoutes(1);
    expect(sample(await metricsText(router), 'galactic_router_registrations')).to.equal(2);
  });

  it('serves Prometheus metrics and health', async () => {
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node2.deregister('10.1.1.9/32', E2); // unknown: a no-op
    await node2.waitForRoutes(1);
    await waitFor(async () => sample(await metricsText(router), 'galactic_router_messages_total', { kind: 'deregister' }) === 1, { what: 'the deregister to be counted' });
    const text = await metricsText(router);
    expect(sample(text, 'galactic_router_registrations')).to.equal(2);
    expect(sample(text, 'galactic_router_routes_published_total', { status: 'ADD' })).to.equal(2);
    expect(sample(text, 'galactic_router_messages_total', { kind: 'register' })).to.equal(2);
    expect(sample(text, 'galactic_router_store_seconds_count', { operation: 'write' })).to.equal(2);
    // The first message in a VPC reads it (the next ones plan on the VPC as last written); each worker's
    // registration count (the quota) is read once; and one read at subscribe: the workers to ask for a summary.
    expect(sample(text, 'galactic_router_store_seconds_count', { operation: 'read' })).to.equal(4);
    expect(sample(text, 'galactic_router_store_seconds_bucket', { le: '+Inf', operation: 'read' })).to.equal(4);
    expect(logger.lines.some((l) => l.msg === 'deregister of an unknown registration; ignored' && l.network === '10.1.1.9/32')).to.equal(true);
    expect((await fetch(`http://127.0.0.1:${router.healthPort}/readyz`)).status).to.equal(200);
    expect((await fetch(`http://127.0.0.1:${router.healthPort}/healthz`)).status).to.equal(200);
  });

  it('keeps the encoded wire format of route messages (field numbers of SPEC §8)', async () => {
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    const raw: Buffer[] = [];
    node1.client.on('message', (_t, payload) => raw.push(payload));
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node1.waitForRoutes(1);
    expect(raw[0]).to.deep.equal(Buffer.from(encodeMessage({ kind: 'route', network: '10.1.1.2/32', srv6Endpoint: E1, srv6Segments: [E2], status: 'ADD' })));
  });
});
