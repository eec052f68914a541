// The embedded broker's access control, through real MQTT connections, and a
// router behind it: a worker cannot speak for, or listen as, another worker.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { memoryLogger } from '../lib/log.js';
import { connectMqtt } from '../lib/mqtt.js';
import { waitFor } from '../lib/wait.js';
import { type BrokerUser, clientIdBelongsTo, FAILED_LOGIN_DELAY_MS, hashPassword, loadCredentials, mayPublish, maySubscribe, type RunningBroker, startBroker, verifyPassword } from './broker.js';
import type { RouterHandle } from './service.js';
import { FakeAgent } from './testing/agent.js';
import { startTestRouter } from './testing/router.js';

const E1 = '2001:db8:1::4d2:1';
const E2 = '2001:db8:2::4d2:1';

describe('embedded broker', function () {
  this.timeout(30_000);

  describe('access rules', () => {
    const worker = { username: 'node1', role: 'worker' } as const;
    const router = { username: 'router', role: 'router' } as const;
    it('a worker publishes only to its own send topic and subscribes only to its own receive topic', () => {
      expect(mayPublish(worker, 'galactic/node1/send', 'galactic/')).to.equal(true);
      expect(mayPublish(worker, 'galactic/node2/send', 'galactic/')).to.equal(false);
      expect(mayPublish(worker, 'galactic/node1/receive', 'galactic/')).to.equal(false);
      expect(maySubscribe(worker, 'galactic/node1/receive', 'galactic/')).to.equal(true);
      expect(maySubscribe(worker, 'galactic/+/receive', 'galactic/')).to.equal(false);
      expect(maySubscribe(worker, 'galactic/#', 'galactic/')).to.equal(false);
      expect(maySubscribe(worker, 'galactic/node1/send', 'galactic/')).to.equal(false);
    });
    it('the router uses the wildcards', () => {
      expect(maySubscribe(router, 'galactic/+/send', 'galactic/')).to.equal(true);
      expect(maySubscribe(router, 'galactic/#', 'galactic/')).to.equal(false);
      expect(mayPublish(router, 'galactic/node7/receive', 'galactic')).to.equal(true);
      expect(mayPublish(router, 'galactic/node7/send', 'galactic')).to.equal(false);
      expect(mayPublish(router, 'elsewhere/node7/receive', 'galactic')).to.equal(false);
    });
  });

  describe('client ids', () => {
    it('a client id belongs to the user it is, or starts with, followed by -', () => {
      expect(clientIdBelongsTo('node1', 'node1')).to.equal(true);
      expect(clientIdBelongsTo('node1', 'node1-agent')).to.equal(true);
      expect(clientIdBelongsTo('router', 'router-out')).to.equal(true);
      expect(clientIdBelongsTo('node1', 'node10')).to.equal(false);
      expect(clientIdBelongsTo('node1', 'agent-node1')).to.equal(false);
      expect(clientIdBelongsTo('node1', 'router')).to.equal(false);
    });
  });

  describe('credentials', () => {
    it('hashes passwords with scrypt and verifies them', async () => {
      const stored = await hashPassword('s3cret');
      expect(stored).to.match(/^scrypt\$16384\$8\$1\$/);
      expect(await verifyPassword(stored, 's3cret')).to.equal(true);
      expect(await verifyPassword(stored, 's3cret!')).to.equal(false);
      expect(await verifyPassword('plain', 'plain')).to.equal(true);
    });

    it('loads a credentials file and names what is wrong in a bad one', () => {
      const dir = mkdtempSync(join(tmpdir(), 'galactic-creds-'));
      try {
        const good = join(dir, 'good.yaml');
        writeFileSync(good, 'users:\n  - {username: router, password: a, role: router}\n  - {username: node1, password: b}\n');
        expect(loadCredentials(good)).to.deep.equal([
          { username: 'router', password: 'a', role: 'router' },
          { username: 'node1', password: 'b', role: 'worker' },
        ]);
        const bad = join(dir, 'bad.yaml');
        writeFileSync(bad, 'users:\n  - {username: "node/1", password: b}\n');
        expect(() => loadCredentials(bad)).to.throw(/users\[0\]: username/);
        writeFileSync(bad, 'users:\n  - {username: node1, password: b, role: admin}\n');
        expect(() => loadCredentials(bad)).to.throw(/role must be router or worker/);
        writeFileSync(bad, 'users:\n  - {username: node, password: a}\n  - {username: node-1, password: b}\n');
        expect(() => loadCredentials(bad)).to.throw(/username node-1 starts with node-, so node could use its client ids/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('with credentials, behind a router', () => {
    let users: BrokerUser[];
    let router: RouterHandle;
    let url: string;
    let logger: ReturnType<typeof memoryLogger>;
    const agents: FakeAgent[] = [];
    const agent = async (worker: string, options: { password?: string; clientId?: string } = {}): Promise<FakeAgent> => {
      const a = await FakeAgent.connect(url, worker, { username: worker, password: options.password ?? `pw-${worker}`, ...(options.clientId ? { clientId: options.clientId } : {}) });
      agents.push(a);
      return a;
    };

    before(async () => {
      users = [
        { username: 'router', password: await hashPassword('pw-router'), role: 'router' },
        { username: 'node1', password: await hashPassword('pw-node1'), role: 'worker' },
        { username: 'node2', password: await hashPassword('pw-node2'), role: 'worker' },
      ];
    });

    beforeEach(async () => {
      ({ router, url, logger } = await startTestRouter({
        mqtt: { qos: 1, clientId: 'router', username: 'router', password: 'pw-router' },
        embeddedBroker: { port: 0, host: '127.0.0.1', users },
      }));
    });

    afterEach(async () => {
      await Promise.all(agents.splice(0).map((a) => a.close().catch(() => undefined)));
      await router.stop();
    });

    it('a worker cannot inject registrations for another worker', async () => {
      const node1 = await agent('node1');
      const closed = new Promise<void>((resolve) => node1.client.once('close', () => resolve()));
      node1.send({ kind: 'register', network: '10.1.1.2/32', srv6Endpoint: E2 }, 'galactic/node2/send').catch(() => undefined);
      await closed; // the broker disconnects a client that publishes where it may not
      // The real node2 registers afterwards; if node1's forgery had arrived,
      // node2's own registration of 10.1.1.2/32 would be a "move" and the
      // store would also hold the forged registration's effects.
      const node2 = await agent('node2');
      const node1again = await agent('node1');
      await node2.register('10.1.1.2/32', E2);
      await node1again.register('10.1.1.1/32', E1);
      await node2.waitForRoutes(1);
      await node1again.waitForRoutes(1);
      expect(await router.store.count()).to.equal(2);
      expect(router.metrics.registrations.get()).to.not.equal(undefined);
      expect(node2.routes).to.deep.equal([{ kind: 'route', network: '10.1.1.1/32', srv6Endpoint: E2, srv6Segments: [E1], status: 'ADD' }]);
      expect(logger.lines.filter((l) => l.msg === 'registered').map((l) => l.worker)).to.deep.equal(['node2', 'node1']);
      expect(logger.lines.some((l) => l.msg === 'MQTT publish refused; disconnecting the client' && l.username === 'node1' && l.topic === 'galactic/node2/send')).to.equal(true);
    });

    it('a worker cannot subscribe to another worker\'s routes', async () => {
      await agent('node1');
      await FakeAgent.connect(url, 'node2', { username: 'node1', password: 'pw-node1', clientId: 'node1-second' }).then(
        () => expect.fail('subscription to galactic/node2/receive as node1 was granted'),
        (error: Error) => expect(error.message).to.match(/subscription of node2 refused/),
      );
    });

    it('a worker cannot take over another worker\'s persistent session: its queued routes survive', async () => {
      const session = { clientId: 'node2-agent', clean: false, protocolVersion: 4 as const, reconnectPeriod: 0 };
      const node2 = await mqtt.connectAsync(url, { ...session, username: 'node2', password: 'pw-node2' });
      await node2.subscribeAsync('galactic/node2/receive', { qos: 1 });
      await node2.endAsync();
      // While node2 is away, the router queues a route for its session.
      const other = await agent('node2', { clientId: 'node2-other-endpoint' });
      await other.register('10.1.1.2/32', E2);
      const node1 = await agent('node1');
      await node1.register('10.1.1.1/32', E1);
      await node1.waitForRoutes(1);
      // node1 tries to resume node2's session with its own credentials: refused at CONNECT.
      const theft = await mqtt.connectAsync(url, { ...session, username: 'node1', password: 'pw-node1' }).then(
        async (c) => {
          await c.endAsync();
          return 'accepted';
        },
        (error: Error) => error.message,
      );
      expect(theft).to.match(/Identifier rejected/i);
      // node2 comes back to its session and gets the route queued for it.
      const back = await mqtt.connectAsync(url, { ...session, username: 'node2', password: 'pw-node2' });
      const got: string[] = [];
      back.on('message', (topic, payload) => got.push(`${topic} ${payload.length}`));
      await waitFor(() => got.length === 1, { what: 'node2 to get its queued route' });
      await back.endAsync();
      expect(logger.lines.some((l) => l.msg === 'MQTT client refused: client id does not belong to its user' && l.username === 'node1')).to.equal(true);
    });

    it('a worker cannot kick the router off the broker with the router\'s client id', async () => {
      const refused = await mqtt.connectAsync(url, { clientId: 'router', username: 'node1', password: 'pw-node1', reconnectPeriod: 0, protocolVersion: 4 }).then(
        async (c) => {
          await c.endAsync();
          return false;
        },
        () => true,
      );
      expect(refused).to.equal(true);
      const [node1, node2] = [await agent('node1'), await agent('node2')];
      await node1.register('10.1.1.1/32', E1);
      await node2.register('10.1.1.2/32', E2);
      await node2.waitForRoutes(1);
      expect(logger.lines.some((l) => l.msg === 'MQTT connection lost; reconnecting')).to.equal(false);
    });

    it('a client without a configured client id (clean session) gets one that belongs to its user', async () => {
      const connection = connectMqtt({ url, username: 'node1', password: 'pw-node1', qos: 1 }, memoryLogger());
      try {
        await waitFor(() => connection.connected$.value, { what: 'node1 to connect without a client id' });
        await connection.subscribe('galactic/node1/receive');
      } finally {
        await connection.close();
      }
    });

    it('answers failed logins from one address ever more slowly', async () => {
      const attempt = async (): Promise<number> => {
        const started = performance.now();
        await mqtt.connectAsync(url, { username: 'node1', password: 'wrong', reconnectPeriod: 0, protocolVersion: 4 }).then(
          (c) => c.endAsync(),
          () => undefined,
        );
        return performance.now() - started;
      };
      const first = await attempt();
      await attempt();
      const third = await attempt();
      expect(first).to.be.at.least(FAILED_LOGIN_DELAY_MS - 10);
      expect(third).to.be.at.least(4 * FAILED_LOGIN_DELAY_MS - 10);
      const delays = logger.lines.filter((l) => l.msg === 'MQTT client refused: bad username or password').map((l) => l.delayMs);
      expect(delays).to.deep.equal([FAILED_LOGIN_DELAY_MS, 2 * FAILED_LOGIN_DELAY_MS, 4 * FAILED_LOGIN_DELAY_MS]);
    });

    it('refuses a wrong password', async () => {
      const refused = await mqtt.connectAsync(url, { username: 'node1', password: 'wrong', reconnectPeriod: 0, protocolVersion: 4 }).then(
        async (c) => {
          await c.endAsync();
          return false;
        },
        (error: Error) => /Bad username or password|Not authorized/i.test(error.message),
      );
      expect(refused).to.equal(true);
    });
  });

  describe('without credentials, on the default address', () => {
    let broker: RunningBroker;
    const logger = memoryLogger('broker');
    before(async () => {
      broker = await startBroker({ port: 0, topicBase: 'galactic/', logger });
    });
    after(async () => {
      await broker.close();
    });
    it('refuses a retained publish (disconnects its client): nothing is kept to replay to the router', async () => {
      const url = `mqtt://127.0.0.1:${broker.port}`;
      const node1 = await FakeAgent.connect(url, 'node1');
      const closed = new Promise<void>((resolve) => node1.client.once('close', () => resolve()));
      node1.client.publish('galactic/node1/send', Buffer.from('stale'), { qos: 1, retain: true });
      await closed;
      const late = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
      const got: string[] = [];
      late.on('message', (topic) => got.push(topic));
      await late.subscribeAsync('galactic/+/send', { qos: 1 });
      // A plain publish after the subscription arrives, so the retained one would have come first.
      const probe = await FakeAgent.connect(url, 'node2');
      await probe.publishRaw(Buffer.from('probe'));
      await waitFor(() => got.length > 0, { what: 'the probe message' });
      expect(got).to.deep.equal(['galactic/node2/send']);
      await Promise.all([late.endAsync(), probe.close(), node1.close().catch(() => undefined)]);
      expect(logger.lines.some((l) => l.reason === 'retained messages are not accepted')).to.equal(true);
    });

    it('disconnects a client that sends a packet over the size limit, from its header', async () => {
      const node1 = await FakeAgent.connect(`mqtt://127.0.0.1:${broker.port}`, 'node1');
      const closed = new Promise<void>((resolve) => node1.client.once('close', () => resolve()));
      node1.publishRaw(Buffer.alloc(64 * 1024 + 1)).catch(() => undefined);
      await closed;
      expect(logger.lines.some((l) => l.msg === 'MQTT packet over the size limit; disconnecting the client' && Number(l.bytes) > 64 * 1024)).to.equal(true);
      const small = await FakeAgent.connect(`mqtt://127.0.0.1:${broker.port}`, 'node1');
      await small.publishRaw(Buffer.alloc(60 * 1024));
      await small.close();
    });

    it('accepts anonymous clients, with a warning', async () => {
      const node1 = await FakeAgent.connect(`mqtt://127.0.0.1:${broker.port}`, 'node1');
      await node1.register('10.1.1.1/32', E1);
      await node1.close();
      expect(logger.lines.some((l) => l.level === 'warn' && /anonymous/.test(String(l.msg)))).to.equal(true);
    });
    it('is reachable over IPv6 and IPv4 (agents on an IPv6 underlay)', async () => {
      const node6 = await FakeAgent.connect(`mqtt://[::1]:${broker.port}`, 'node6');
      const node4 = await FakeAgent.connect(`mqtt://127.0.0.1:${broker.port}`, 'node4');
      await node6.close();
      await node4.close();
    });
  });
});
