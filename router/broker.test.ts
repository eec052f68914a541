// The embedded broker's access control, through real MQTT connections, and a
// router behind it: a worker cannot speak for, or listen as, another worker.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { memoryLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import { type BrokerUser, hashPassword, loadCredentials, mayPublish, maySubscribe, type RunningBroker, startBroker, verifyPassword } from './broker.js';
import { type RouterHandle, localBrokerUrl } from './service.js';
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
        mqtt: { qos: 1, clientId: 'galactic-router', username: 'router', password: 'pw-router' },
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
      await FakeAgent.connect(url, 'node2', { username: 'node1', password: 'pw-node1' }).then(
        () => expect.fail('subscription to galactic/node2/receive as node1 was granted'),
        (error: Error) => expect(error.message).to.match(/subscription of node2 refused/),
      );
    });

    it('a worker that takes over another\'s persistent session does not get its routes', async () => {
      const session = { clientId: 'agent-node2', clean: false, protocolVersion: 4 as const, reconnectPeriod: 0 };
      const node2 = await mqtt.connectAsync(url, { ...session, username: 'node2', password: 'pw-node2' });
      await node2.subscribeAsync('galactic/node2/receive', { qos: 1 });
      await node2.endAsync();
      // While node2 is away, the router queues a route for its session.
      const node1 = await agent('node1');
      await node1.register('10.1.1.1/32', E1);
      const other = await agent('node2', { clientId: 'node2-other-endpoint' });
      await other.register('10.1.1.2/32', E2);
      await node1.waitForRoutes(1);
      await other.waitForRoutes(1);
      await other.close();
      // node1 resumes node2's session with its own credentials.
      const thief = await mqtt.connectAsync(url, { ...session, username: 'node1', password: 'pw-node1' });
      const got: string[] = [];
      thief.on('message', (topic) => got.push(topic));
      await thief.subscribeAsync('galactic/node1/receive', { qos: 1 });
      await node1.send({ kind: 'resync', requestId: 'x' }); // answered on galactic/node1/receive
      await waitFor(() => got.includes('galactic/node1/receive'), { what: 'the thief to get node1\'s resync answer' });
      await thief.endAsync();
      expect(got).to.not.include('galactic/node2/receive');
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
    it('accepts anonymous clients, with a warning', async () => {
      const node1 = await FakeAgent.connect(`mqtt://127.0.0.1:${broker.port}`, 'node1');
      await node1.register('10.1.1.1/32', E1);
      await node1.close();
      expect(logger.lines.some((l) => l.level === 'warn' && /anonymous/.test(String(l.msg)))).to.equal(true);
    });
    it('the router reaches its own broker over loopback, or at the one address it listens on', () => {
      expect([undefined, '::', '0.0.0.0', '2001:db8::1', '192.0.2.1'].map((host) => localBrokerUrl(host, 1883))).to.deep.equal([
        'mqtt://127.0.0.1:1883',
        'mqtt://127.0.0.1:1883',
        'mqtt://127.0.0.1:1883',
        'mqtt://[2001:db8::1]:1883',
        'mqtt://192.0.2.1:1883',
      ]);
    });
    it('is reachable over IPv6 and IPv4 (agents on an IPv6 underlay)', async () => {
      const node6 = await FakeAgent.connect(`mqtt://[::1]:${broker.port}`, 'node6');
      const node4 = await FakeAgent.connect(`mqtt://127.0.0.1:${broker.port}`, 'node4');
      await node6.close();
      await node4.close();
    });
  });
});
