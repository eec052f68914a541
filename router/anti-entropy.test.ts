// The router's side of anti-entropy and its delivery guarantees, in this
// process against real Aedes brokers on loopback: summaries and repairs,
// registration sets applied as a difference, SummaryRequest after every
// subscribe (issue 8 defect 13), acknowledgement only after the routes are
// acknowledged (defect 11), retained deliveries ignored (defect 5), and a
// message the store keeps refusing set aside (defect 2).
import { expect } from 'chai';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { registrationLine, routeLine, summarise } from '../lib/anti-entropy.js';
import { memoryLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import { encodeMessage, type Message, type SetSummary } from '../proto/remote.js';
import type { RouterConfig, RouterHandle } from './service.js';
import { startRouter } from './service.js';
import { SCHEMA } from './store-sqlite.js';
import { FakeAgent } from './testing/agent.js';
import { RouterFixture } from './testing/router.js';
import { MqttFaultProxy } from '../test/support/mqtt-fault-proxy.js';

const E1 = '2001:db8:1::4d2:1';
const E2 = '2001:db8:2::4d2:1';
const E3 = '2001:db8:3::4d2:1';

const summaryOf = (agent: FakeAgent, registrations: Array<[string, string]>, routes: SetSummary = summarise([]), sequence = 1): Promise<void> =>
  agent.send({
    kind: 'summary',
    requestId: `${agent.worker}:${sequence}`,
    registrations: summarise(registrations.map(([network, srv6Endpoint]) => registrationLine({ network, srv6Endpoint }))),
    routes,
  });

/** A plain Aedes broker on a free loopback port: no access control, retained messages kept (as Mosquitto does by default). */
async function bareBroker(): Promise<{ aedes: Aedes; url: string; close: () => Promise<void> }> {
  const aedes = new Aedes();
  await aedes.listen();
  const server: Server = createServer(aedes.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    aedes,
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('router anti-entropy (embedded Aedes)', function () {
  this.timeout(30_000);
  const fixture = new RouterFixture();
  const agent = (worker: string): Promise<FakeAgent> => fixture.agent(worker);

  beforeEach(() => fixture.start());
  afterEach(() => fixture.stop());

  it('answers a Summary with what it holds; a differing route summary brings the full RouteSet', async () => {
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node1.waitForRoutes(1);
    const received = node1.received.length;
    await summaryOf(node1, [['10.1.1.1/32', E1]]);
    const reply = await waitFor(() => node1.received.slice(received).find((m) => m.kind === 'summaryReply'), { what: 'the summary reply' });
    const desiredRoutes = summarise([routeLine({ network: '10.1.1.2/32', srv6Endpoint: E1, srv6Segments: [E2] })]);
    expect(reply).to.deep.equal({
      kind: 'summaryReply',
      requestId: 'node1:1',
      registrations: summarise([registrationLine({ network: '10.1.1.1/32', srv6Endpoint: E1 })]),
      routes: desiredRoutes,
    });
    const set = await waitFor(() => node1.received.slice(received).find((m) => m.kind === 'routeSet'), { what: 'the route set' });
    expect(set).to.deep.equal({ kind: 'routeSet', requestId: 'node1:1', part: 0, parts: 1, routes: [{ network: '10.1.1.2/32', srv6Endpoint: E1, srv6Segments: [E2] }] });

    // A worker that holds exactly that gets the reply only.
    const after = node1.received.length;
    await summaryOf(node1, [['10.1.1.1/32', E1]], desiredRoutes, 2);
    await waitFor(() => node1.received.length > after, { what: 'the second reply' });
    await node1.register('10.1.1.11/32', E1); // a marker: a set would go out with the reply, before the marker's routes
    await node2.waitForRoutes(2);
    expect(node1.received.slice(after).map((m) => m.kind)).to.deep.equal(['summaryReply']);
  });

  it('a registration set applies only the difference: identical registrations change nothing anywhere (defect 12)', async () => {
    const [node1, node2, node3] = [await agent('node1'), await agent('node2'), await agent('node3')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node2.register('10.1.1.22/32', E2);
    await node3.register('10.1.1.3/32', E3);
    await node1.waitForRoutes(3);
    const seen = [node1.received.length, node3.received.length];
    // node2 restarted: it reports one registration it still has and one new, and lost 10.1.1.22/32.
    await node2.send({
      kind: 'registrationSet',
      setId: 's1',
      part: 0,
      parts: 2,
      registrations: [{ network: '10.1.1.2/32', srv6Endpoint: E2 }],
    });
    await node2.send({ kind: 'registrationSet', setId: 's1', part: 1, parts: 2, registrations: [{ network: '10.1.1.23/32', srv6Endpoint: E2 }] });
    await waitFor(() => node1.table.has(`${E1} 10.1.1.23/32`) && !node1.table.has(`${E1} 10.1.1.22/32`), { what: 'node1 to see the difference' });
    await node3.waitForRoutes(seen[1]! + 2);
    const rows = (messages: Message[]): string[] => messages.map((m) => (m.kind === 'route' ? `${m.status} ${m.network}` : m.kind));
    // Nothing about the unchanged 10.1.1.2/32: no DELETE, no ADD.
    expect(rows(node1.received.slice(seen[0]))).to.deep.equal(['DELETE 10.1.1.22/32', 'ADD 10.1.1.23/32']);
    expect(rows(node3.received.slice(seen[1]))).to.deep.equal(['DELETE 10.1.1.22/32', 'ADD 10.1.1.23/32']);
  });

  it('a retained message is a replay: dropped, never registered (defect 5)', async () => {
    const broker = await bareBroker();
    let retainedRouter: RouterHandle | undefined;
    try {
      const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
      await publisher.publishAsync('galactic/node1/send', Buffer.from(encodeMessage({ kind: 'register', network: '10.1.1.1/32', srv6Endpoint: E1 })), { qos: 1, retain: true });
      await publisher.endAsync();
      const logger = memoryLogger('router');
      retainedRouter = await startRouter({ mqtt: { qos: 1, clientId: 'retained-test', url: broker.url }, topicBase: 'galactic/', dbUrl: ':memory:', holddownMs: 10_000, logger });
      await retainedRouter.ready;
      await waitFor(() => logger.lines.some((l) => l.msg === 'dropped a retained message'), { what: 'the retained message to be dropped' });
      expect(await retainedRouter.store.count()).to.equal(0);
    } finally {
      await retainedRouter?.stop();
      await broker.close();
    }
  });
});

describe('router delivery guarantees (plain Aedes, router restarts)', function () {
  this.timeout(30_000);
  let broker: Awaited<ReturnType<typeof bareBroker>>;
  let dir: string;
  const running: Array<() => Promise<unknown>> = [];
  const router = async (
    overrides: Pick<RouterConfig, 'maxAttempts' | 'retryInitialMs' | 'publishAckTimeoutMs' | 'antiEntropy'> & { dbUrl?: string; health?: boolean; url?: string } = {},
  ): Promise<RouterHandle & { logger: ReturnType<typeof memoryLogger> }> => {
    const logger = memoryLogger('router');
    const handle = await startRouter({
      mqtt: { qos: 1, clientId: 'guarantees-router', url: overrides.url ?? broker.url },
      topicBase: 'galactic/',
      dbUrl: overrides.dbUrl ?? join(dir, 'router.db'),
      holddownMs: 10_000,
      logger,
      ...(overrides.maxAttempts !== undefined ? { maxAttempts: overrides.maxAttempts } : {}),
      ...(overrides.retryInitialMs !== undefined ? { retryInitialMs: overrides.retryInitialMs } : {}),
      ...(overrides.publishAckTimeoutMs !== undefined ? { publishAckTimeoutMs: overrides.publishAckTimeoutMs } : {}),
      ...(overrides.antiEntropy ? { antiEntropy: overrides.antiEntropy } : {}),
      ...(overrides.health ? { health: { port: 0, host: '127.0.0.1' } } : {}),
    });
    running.push(() => handle.stop());
    await handle.ready;
    return Object.assign(handle, { logger });
  };
  const agent = async (worker: string): Promise<FakeAgent> => {
    const a = await FakeAgent.connect(broker.url, worker);
    running.push(() => a.close());
    return a;
  };

  beforeEach(async () => {
    broker = await bareBroker();
    dir = mkdtempSync(join(tmpdir(), 'galactic-router-ae-'));
  });

  afterEach(async () => {
    for (const stop of running.splice(0).reverse()) await stop().catch(() => undefined);
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after every (re)subscribe, asks every worker in the store for a Summary (defect 13)', async () => {
    const first = await router();
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node1.waitForRoutes(1);
    await first.stop();
    // Whatever the workers sent meanwhile may be lost; the restarted router asks them.
    await router();
    for (const node of [node1, node2]) await waitFor(() => node.received.some((m) => m.kind === 'summaryRequest'), { what: `${node.worker} to be asked for a summary` });
  });

  it('acknowledges a message only once the broker acknowledged the routes it caused (defect 11)', async () => {
    // Hold the router's route publishes at the broker; watch when it acknowledges node2's register.
    const held: Array<() => void> = [];
    const events: string[] = [];
    const authorize = broker.aedes.authorizePublish;
    broker.aedes.authorizePublish = (client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void) => {
      if (client?.id.endsWith('-out') && packet.topic.endsWith('/receive') && packet.topic !== 'galactic/node0/receive') {
        events.push('route held');
        held.push(() => authorize.call(broker.aedes, client, packet, done));
        return;
      }
      authorize.call(broker.aedes, client, packet, done);
    };
    broker.aedes.on('ack', (packet, client) => {
      if (client?.id === 'guarantees-router' && packet && 'topic' in packet && packet.topic === 'galactic/node2/send') events.push('register acknowledged');
    });
    await router({ dbUrl: ':memory:' });
    const [node1, node2] = [await agent('node1'), await agent('node2')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await waitFor(() => held.length === 2, { what: 'both route publishes to reach the broker' });
    // A negative can only be checked over a while: give an early acknowledgement the chance to happen.
    await new Promise((resolve) => setTimeout(resolve, 300));
    events.push('routes released');
    for (const release of held.splice(0)) release();
    await waitFor(() => events.includes('register acknowledged'), { what: "the router's acknowledgement of the register" });
    expect(events).to.deep.equal(['route held', 'route held', 'routes released', 'register acknowledged']);
    await node1.waitForRoutes(1);
  });

  it('a message the store keeps refusing is retried, then set aside; /readyz is unready meanwhile, the next message goes through (defect 2)', async () => {
    // A real SQLite store that refuses one worker's rows, as a broken disk or a constraint would.
    const dbPath = join(dir, 'refusing.db');
    const db = new Database(dbPath);
    for (const statement of SCHEMA) db.exec(statement);
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON registration WHEN NEW.worker = 'broken' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    db.close();
    const handle = await router({ dbUrl: dbPath, maxAttempts: 4, retryInitialMs: 200, health: true });
    const readyz = async (): Promise<number> => (await fetch(`http://127.0.0.1:${handle.healthPort}/readyz`)).status;
    const [broken, node1] = [await agent('broken'), await agent('node1')];
    await broken.register('10.1.1.9/32', E3);
    await node1.register('10.1.1.1/32', E1);
    await waitFor(async () => (await readyz()) === 503, { what: '/readyz to turn unready while the store fails' });
    await waitFor(() => handle.logger.lines.some((l) => l.msg === 'handling a message failed repeatedly; set aside'), { what: 'the message to be set aside' });
    await waitFor(async () => (await handle.store.count()) === 1, { what: 'the next message to be stored' });
    expect(await readyz()).to.equal(200);
    const state = (await (await fetch(`http://127.0.0.1:${handle.healthPort}/state`)).json()) as { setAside: Array<{ topic: string; attempts: number; reason: string }> };
    expect(state.setAside.map(({ topic, attempts, reason }) => ({ topic, attempts, reason }))).to.deep.equal([{ topic: 'galactic/broken/send', attempts: 4, reason: 'disk on fire' }]);
    const metrics = await (await fetch(`http://127.0.0.1:${handle.healthPort}/metrics`)).text();
    expect(metrics).to.match(/^galactic_router_set_aside_messages_total\{component="router"\} 1$/m);
  });

  it("one worker's failing publishes hold up neither the other workers' repairs nor the messages; once they go through, its next Summary gets a route set of its own", async () => {
    // The router reaches the broker through a proxy that, when told, loses every publish to node1.
    const proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: Number(new URL(broker.url).port) }, { drop: 0, duplicate: 0 });
    running.push(() => proxy.close());
    const handle = await router({ dbUrl: ':memory:', url: proxy.url, publishAckTimeoutMs: 300, antiEntropy: { backoff: { initialMs: 200, maxMs: 400 } } });
    const [node1, node2, node3] = [await agent('node1'), await agent('node2'), await agent('node3')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node2.waitForRoutes(1);
    proxy.setRates({ drop: 1, duplicate: 0 }, (topic) => topic === 'galactic/node1/receive');
    // Both lost their routes and say so, once.
    await summaryOf(node1, [['10.1.1.1/32', E1]]);
    await summaryOf(node2, [['10.1.1.2/32', E2]]);
    await waitFor(() => node2.received.some((m) => m.kind === 'routeSet'), { what: 'node2 to get its RouteSet while node1 cannot be reached' });
    // The message stream goes on too: node3 registers in another VPC.
    await node3.register('10.9.9.3/32', '2001:db8:3::4d3:1');
    await waitFor(async () => (await handle.store.count()) === 3, { what: "node3's registration to be stored" });
    expect(node1.received.some((m) => m.kind === 'summaryReply' || m.kind === 'routeSet')).to.equal(false);
    proxy.setRates({ drop: 0, duplicate: 0 });
    // A set whose publish failed is not read and sent again under the same request id: parts of
    // the first attempt may have arrived, and the two readings would mix (bench/chaos.ts seed 4).
    // node1's pass fails without its set, and its next Summary gets one. Without this rule the
    // loop's retry (backoff at most 400 ms) sends node1:1 again: give it twice that to show it does not.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await summaryOf(node1, [['10.1.1.1/32', E1]], summarise([]), 2);
    const set = await waitFor(() => node1.received.find((m) => m.kind === 'routeSet'), { what: 'node1 to get its RouteSet once publishes to it go through' });
    expect(set).to.deep.equal({ kind: 'routeSet', requestId: 'node1:2', part: 0, parts: 1, routes: [{ network: '10.1.1.2/32', srv6Endpoint: E1, srv6Segments: [E2] }] });
    expect(node1.received.filter((m) => m.kind === 'routeSet' && m.requestId === 'node1:1')).to.deep.equal([]);
  });
});
