// Announcement order (router/sequence.ts, issue 8): the broker resends what it
// delivered to the router but never saw acknowledged only after the router
// reconnects, behind newer messages of the same worker the router already
// handled; a duplicate arrives twice. A sequenced message at or below what the
// router applied for its worker must change nothing; one it has not applied
// yet must still be applied, once; unsequenced ones (original agents) as before.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { memoryLogger } from '../lib/log.js';
import { encodeSid, parseSrv6Net } from '../lib/sid.js';
import { waitFor } from '../lib/wait.js';
import { decodeMessage, encodeMessage, type Message } from '../proto/remote.js';
import { MqttFaultProxy } from '../test/support/mqtt-fault-proxy.js';
import { type RunningBroker, startBroker } from './broker.js';
import { type RouterHandle, startRouter } from './service.js';

const E1 = encodeSid(parseSrv6Net('2001:db8:1::/48'), { vpc: 1n, attachment: 1n });
const E2 = encodeSid(parseSrv6Net('2001:db8:2::/48'), { vpc: 1n, attachment: 2n });
const A = '10.1.1.1/32';
const B = '10.1.1.2/32';

type Announcement = Extract<Message, { kind: 'register' | 'deregister' }>;

describe('router: stale announcements never undo newer state', function () {
  this.timeout(30_000);
  let broker: RunningBroker;
  let proxy: MqttFaultProxy;
  let router: RouterHandle;
  let worker: MqttClient;
  /** Fault decisions for the worker's messages on their way broker → router (0.1: lost, 0.3: duplicated, else delivered). */
  let rolls: number[];

  beforeEach(async () => {
    rolls = [];
    broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic', logger: memoryLogger('broker') });
    proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: broker.port }, { drop: 0.2, duplicate: 0.2 }, () => rolls.shift() ?? 0.9);
    // Only what workers send is subject to faults: the router's own publishes draw no rolls.
    proxy.setRates({ drop: 0.2, duplicate: 0.2 }, (topic) => topic.endsWith('/send'));
    router = await startRouter({ mqtt: { qos: 1, clientId: 'router', url: proxy.url, reconnectMs: 50 }, topicBase: 'galactic/', dbUrl: ':memory:', holddownMs: 0, logger: memoryLogger('router') });
    await router.ready;
    worker = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
  });

  afterEach(async () => {
    await worker.endAsync();
    await router.stop();
    await proxy.close();
    await broker.close();
  });

  const send = (message: Message): Promise<unknown> => worker.publishAsync('galactic/node1/send', Buffer.from(encodeMessage(message)), { qos: 1 });
  const announce = (kind: Announcement['kind'], network: string, sequence?: number): Promise<unknown> =>
    send({ kind, network, srv6Endpoint: E1, ...(sequence !== undefined ? { sequence } : {}) });
  const sample = async (metric: 'messages' | 'staleDropped', kind: string): Promise<number> =>
    (await router.metrics[metric].get()).values.find((v) => v.labels['kind'] === kind)?.value ?? 0;
  const handled = (kind: string): Promise<number> => sample('messages', kind);
  const stale = (kind: string): Promise<number> => sample('staleDropped', kind);
  const networks = async (): Promise<string[]> => (await router.store.vpc('000000000001')).map((r) => r.network).sort();

  it('a Deregister lost on the way and resent after a newer Register does not remove the registration', async () => {
    await announce('register', A, 1);
    await waitFor(async () => (await handled('register')) === 1, { what: 'the first register' });
    rolls = [0.1]; // the Deregister, broker → router, is lost; the broker waits for its acknowledgement
    await announce('deregister', A, 2);
    await announce('register', A, 3);
    await waitFor(async () => (await handled('register')) === 2, { what: 'the newer register' });
    proxy.cutConnections();
    // What the broker resends at the reconnect reaches the router now.
    await waitFor(async () => (await handled('deregister')) === 1, { what: 'the resent deregister' });
    expect(await networks(), 'the registration made after the deregister').to.deep.equal([A]);
    expect(await stale('deregister')).to.equal(1);
  });

  it('a Register lost on the way and resent after a newer Deregister does not revive the registration', async () => {
    await announce('register', A, 1);
    await waitFor(async () => (await handled('register')) === 1, { what: 'the first register' });
    rolls = [0.1];
    await announce('register', A, 2); // e.g. the attachment re-announced, then deleted
    await announce('deregister', A, 3);
    await waitFor(async () => (await handled('deregister')) === 1, { what: 'the deregister' });
    expect(await networks()).to.deep.equal([]);
    proxy.cutConnections();
    await waitFor(async () => (await handled('register')) === 2, { what: 'the resent register' });
    expect(await networks(), 'the deregistered network').to.deep.equal([]);
    expect(await stale('register')).to.equal(1);
  });

  it('a message lost on the way and not superseded is applied when the broker resends it', async () => {
    rolls = [0.1];
    await announce('register', A, 7);
    await announce('register', B, 8);
    await waitFor(async () => (await networks()).includes(B), { what: 'the register of B' });
    proxy.cutConnections();
    await waitFor(async () => (await handled('register')) === 2, { what: 'the resent register of A' });
    // Dropped as older than B's: the next Summary repairs it (only a delay). Not applied.
    expect(await networks()).to.deep.equal([B]);
    rolls = [0.1];
    await announce('register', A, 9);
    await waitFor(() => proxy.stats.dropped === 2, { what: 'the register of A lost on the way' });
    proxy.cutConnections();
    await waitFor(async () => (await networks()).includes(A), { what: 'the resent register of A, newer than anything applied' });
    expect(await networks()).to.deep.equal([A, B]);
  });

  it('a duplicated Register is applied once', async () => {
    rolls = [0.3];
    await announce('register', A, 1);
    await waitFor(async () => (await handled('register')) === 2, { what: 'the register and its duplicate' });
    expect(await stale('register')).to.equal(1);
    expect(await networks()).to.deep.equal([A]);
  });

  it('a single message older than a RegistrationSet it preceded changes nothing', async () => {
    await announce('register', A, 1);
    await announce('deregister', B, 2); // unknown: a no-op, applied all the same
    await send({ kind: 'registrationSet', setId: 'set-1', part: 0, parts: 1, registrations: [{ network: A, srv6Endpoint: E1 }], sequence: 10 });
    await waitFor(async () => (await handled('registrationSet')) === 1, { what: 'the registration set' });
    await announce('deregister', A, 9);
    await announce('register', B, 4);
    await waitFor(async () => (await stale('register')) === 1, { what: 'the stale register' });
    expect(await stale('deregister')).to.equal(1);
    expect(await networks()).to.deep.equal([A]);
    expect(await router.store.appliedSequence('node1')).to.equal(10);
  });

  it('a RegistrationSet older than a single message applied changes nothing', async () => {
    await announce('register', A, 5);
    await announce('register', B, 6);
    await waitFor(async () => (await handled('register')) === 2, { what: 'the registers' });
    await send({ kind: 'registrationSet', setId: 'set-1', part: 0, parts: 1, registrations: [{ network: A, srv6Endpoint: E1 }], sequence: 5 });
    await waitFor(async () => (await stale('registrationSet')) === 1, { what: 'the stale set' });
    expect(await networks()).to.deep.equal([A, B]);
  });

  it('a deregister of an unknown network is still applied in order: an older Register cannot revive it', async () => {
    await announce('deregister', A, 2);
    await announce('register', A, 1);
    await waitFor(async () => (await handled('register')) === 1, { what: 'the register' });
    expect(await networks()).to.deep.equal([]);
    expect(await stale('register')).to.equal(1);
  });

  it('unsequenced messages (original agents) are applied as they come, also after sequenced ones', async () => {
    await announce('register', A, 5);
    await announce('deregister', A);
    await announce('register', B);
    await waitFor(async () => (await handled('register')) === 2, { what: 'the unsequenced register' });
    expect(await networks()).to.deep.equal([B]);
    expect(await stale('register')).to.equal(0);
    expect(await stale('deregister')).to.equal(0);
  });
});

describe('router: a message in hand when the router stops is redelivered to the next one', function () {
  this.timeout(30_000);
  let dir: string;
  let broker: RunningBroker;
  let proxy: MqttFaultProxy;
  const routers: RouterHandle[] = [];
  const clients: MqttClient[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'galactic-stale-'));
    broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic', logger: memoryLogger('broker') });
    proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: broker.port }, { drop: 0, duplicate: 0 });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync()));
    for (const router of routers.splice(0)) await router.stop();
    await proxy.close();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A router with the same client id (persistent session) and SQLite file each time, behind the proxy. */
  const start = async (): Promise<RouterHandle> => {
    const router = await startRouter({
      mqtt: { qos: 1, clientId: 'router', url: proxy.url, reconnectMs: 50 },
      topicBase: 'galactic/',
      dbUrl: `sqlite:${join(dir, 'router.db')}`,
      holddownMs: 0,
      logger: memoryLogger('router'),
      publishAckTimeoutMs: 200,
      retryInitialMs: 50,
    });
    routers.push(router);
    await router.ready;
    return router;
  };
  const client = async (): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
    clients.push(c);
    return c;
  };
  const announce = (worker: MqttClient, sequence: number): Promise<unknown> =>
    worker.publishAsync('galactic/node1/send', Buffer.from(encodeMessage({ kind: 'register', network: A, srv6Endpoint: E1, sequence })), { qos: 1 });
  const stop = async (router: RouterHandle): Promise<void> => {
    routers.splice(routers.indexOf(router), 1);
    await router.stop();
  };

  it('not committed: the next router applies it', async () => {
    const first = await start();
    let entered!: () => void;
    const inApply = new Promise<void>((resolve) => (entered = resolve));
    let die!: (error: Error) => void;
    first.store.apply = () => {
      entered();
      return new Promise((_resolve, reject) => (die = reject));
    };
    await announce(await client(), 5);
    await inApply;
    const stopped = stop(first);
    die(new Error('the process died before its commit'));
    await stopped;
    const second = await start();
    await waitFor(async () => (await second.store.count()) === 1, { what: 'the redelivered register applied' });
    expect(await second.store.appliedSequence('node1')).to.equal(5);
    expect((await second.metrics.staleDropped.get()).values.filter((v) => v.value > 0)).to.deep.equal([]);
  });

  it('committed, its routes not yet acknowledged: the next router does not handle it again (no DELETE to peers)', async () => {
    const peer = await client();
    const peerReceived: Message[] = [];
    await peer.subscribeAsync('galactic/node2/receive', { qos: 1 });
    peer.on('message', (_topic, payload) => peerReceived.push(decodeMessage(payload)));
    const first = await start();
    await peer.publishAsync('galactic/node2/send', Buffer.from(encodeMessage({ kind: 'register', network: B, srv6Endpoint: E2 })), { qos: 1 });
    await waitFor(async () => (await first.store.count()) === 1, { what: 'the peer registered' });
    // The ADD for the peer never reaches the broker: the register stays unacknowledged, retried until the router stops.
    proxy.setRates({ drop: 1, duplicate: 0 }, (topic) => topic === 'galactic/node2/receive');
    await announce(await client(), 5);
    await waitFor(async () => (await first.store.appliedSequence('node1')) === 5, { what: 'the register committed' });
    await stop(first);
    proxy.setRates({ drop: 0, duplicate: 0 });
    const second = await start();
    await waitFor(async () => ((await second.metrics.staleDropped.get()).values.find((v) => v.labels['kind'] === 'register')?.value ?? 0) === 1, {
      what: 'the redelivered register dropped as applied',
    });
    expect(await second.store.count()).to.equal(2);
    expect(peerReceived.filter((m) => m.kind === 'route' && m.status === 'DELETE'), 'a re-registration\'s DELETE').to.deep.equal([]);
  });
});
