// `galactic router` as a real process behind real brokers on loopback (the
// embedded Aedes as `galactic broker`, and Mosquitto from Debian with the ACL
// of hack/mosquitto), three fake agents over the wire, and a router restart
// in the middle: the store (SQLite file, or PostgreSQL) keeps the state, the
// broker keeps the router's session, nothing is lost or repeated.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../lib/wait.js';
import { FakeAgent } from './testing/agent.js';
import { sample } from './testing/metrics.js';
import { startMosquitto } from './testing/mosquitto.js';
import { createDatabase, startPostgres } from './testing/postgres.js';
import { type Child, freePort, REPO, startGalactic } from './testing/processes.js';

const E1 = '2001:db8:1::4d2:1';
const E2 = '2001:db8:2::4d2:1';
const E3 = '2001:db8:3::4d2:1';
const PASSWORDS = { router: 'router-secret', node1: 'node1-secret', node2: 'node2-secret', node3: 'node3-secret' };

/** Things to stop after each test, last started first, even when it failed. */
const running: Array<{ stop: () => Promise<unknown>; child?: Child }> = [];
async function stopAll(failed: boolean): Promise<void> {
  for (const item of running.splice(0).reverse()) {
    if (failed && item.child) process.stderr.write(`${item.child.tail()}\n`);
    await item.stop().catch(() => undefined);
  }
}

interface Setup {
  brokerUrl: string;
  /** Where the router connects, when not brokerUrl (Mosquitto's router listener). */
  routerUrl?: string;
  dbUrl: string;
  /** Router credentials, when the broker has access control. */
  auth: boolean;
}

function startRouterProcess(setup: Setup, metricsPort: number, name: string): Child {
  const child = startGalactic(name, [
    'router',
    '--mqtt-url', setup.routerUrl ?? setup.brokerUrl,
    // The client id rule of galactic broker: the username, or the username followed by '-'.
    '--mqtt-clientid', 'router',
    '--db-url', setup.dbUrl,
    '--metrics-port', String(metricsPort),
    '--metrics-host', '127.0.0.1',
  ], setup.auth ? { MQTT_USERNAME: 'router', MQTT_PASSWORD: PASSWORDS.router } : {});
  running.push({ child, stop: () => child.stop('SIGKILL') });
  return child;
}

async function agent(setup: Setup, worker: keyof typeof PASSWORDS): Promise<FakeAgent> {
  const a = await FakeAgent.connect(setup.brokerUrl, worker, setup.auth ? { username: worker, password: PASSWORDS[worker] } : {});
  running.push({ stop: () => a.close() });
  return a;
}

const subscribed = (line: Record<string, unknown>): boolean => line.msg === 'router subscribed';

/** Three workers, with the router stopped and started again between the second and the third. */
async function threeWorkersWithRestart(setup: Setup): Promise<void> {
  const metricsPort = await freePort();
  let router = startRouterProcess(setup, metricsPort, 'router#1');
  await router.waitForLog('subscribed', subscribed);
  const [node1, node2, node3] = [await agent(setup, 'node1'), await agent(setup, 'node2'), await agent(setup, 'node3')];

  await node1.register('10.1.1.1/32', E1);
  await node2.register('10.1.1.2/32', E2);
  await node2.register('192.168.2.0/24', E2);
  await node1.waitForRoutes(2);
  await node2.waitForRoutes(1);

  // Graceful stop; node3 registers while the router is away.
  expect(await router.stop('SIGTERM')).to.equal(0);
  expect(router.logs().some((l) => l.msg === 'router stopped')).to.equal(true);
  await node3.register('10.1.1.3/32', E3);
  router = startRouterProcess(setup, metricsPort, 'router#2');
  await router.waitForLog('subscribed', subscribed);

  // The restarted router asks the workers it knows for an anti-entropy summary.
  for (const node of [node1, node2]) await waitFor(() => node.received.some((m) => m.kind === 'summaryRequest'), { what: `${node.worker} to be asked for a summary` });
  await node3.waitForRoutes(3);
  await node1.waitForRoutes(3);
  await node2.waitForRoutes(2);
  expect(node3.rows()).to.deep.equal([`${E3} 10.1.1.1/32 → ${E1}`, `${E3} 10.1.1.2/32 → ${E2}`, `${E3} 192.168.2.0/24 → ${E2}`]);
  expect(node1.rows()).to.deep.equal([`${E1} 10.1.1.2/32 → ${E2}`, `${E1} 10.1.1.3/32 → ${E3}`, `${E1} 192.168.2.0/24 → ${E2}`]);
  expect(node2.rows()).to.deep.equal([`${E2} 10.1.1.1/32 → ${E1}`, `${E2} 10.1.1.3/32 → ${E3}`]);

  node1.received.length = 0;
  await node1.deregister('10.1.1.1/32', E1);
  await waitFor(() => node1.table.size === 0 && node2.table.size === 1 && node3.table.size === 2, { what: 'node1 to leave everywhere' });
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(sample(metrics, 'galactic_router_registrations')).to.equal(3);
  // Nothing was sent twice: exactly the routes above, one message each.
  expect(node1.routes).to.have.length(3);
  expect(node2.routes).to.have.length(3);
  expect(node3.routes).to.have.length(4);
  // Anti-entropy through the broker: a worker that reports holding nothing gets its full route set.
  await node3.send({ kind: 'summary', requestId: 'node3:1', registrations: { count: 0, digest: '' }, routes: { count: 0, digest: '' } });
  const set = await waitFor(() => node3.received.find((m) => m.kind === 'routeSet'), { what: 'the route set for node3' });
  expect(set.kind === 'routeSet' && set.routes.map((r) => r.network).sort()).to.deep.equal(['10.1.1.2/32', '192.168.2.0/24']);
  expect(await router.stop('SIGTERM')).to.equal(0);
}

describe('router integration (processes, real brokers)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'galactic-router-it-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async function () {
    await stopAll(this.currentTest?.state === 'failed');
  });

  /** `galactic broker` with a credentials file whose hashes come from `galactic broker --hash-password`. */
  async function aedesBroker(): Promise<string> {
    const hash = (password: string): string =>
      execFileSync(process.execPath, [join(REPO, 'bin/galactic.mjs'), 'broker', '--hash-password'], { input: password, encoding: 'utf8' }).trim();
    const credentials = join(dir, 'credentials.yaml');
    const routerHash = hash(PASSWORDS.router);
    writeFileSync(
      credentials,
      `users:\n  - {username: router, role: router, password: "${routerHash}"}\n${(['node1', 'node2', 'node3'] as const).map((n) => `  - {username: ${n}, password: "${PASSWORDS[n]}"}`).join('\n')}\n`,
    );
    const port = await freePort();
    const broker = startGalactic('broker', ['broker', '--port', String(port), '--host', '127.0.0.1', '--credentials', credentials]);
    running.push({ child: broker, stop: () => broker.stop() });
    await broker.waitForLog('listening', (l) => l.msg === 'MQTT broker listening');
    return `mqtt://127.0.0.1:${port}`;
  }

  it('embedded Aedes (galactic broker) + SQLite file: three workers, router restart in the middle', async () => {
    await threeWorkersWithRestart({ brokerUrl: await aedesBroker(), dbUrl: `sqlite:${join(dir, 'aedes.db')}`, auth: true });
  });

  it('Mosquitto + SQLite file: three workers, router restart in the middle; a worker cannot inject for another', async () => {
    const mosquitto = await startMosquitto(PASSWORDS);
    running.push({ child: mosquitto.child, stop: () => mosquitto.stop() });
    const setup = { brokerUrl: mosquitto.url, routerUrl: mosquitto.routerUrl, dbUrl: join(dir, 'mosquitto.db'), auth: true };
    // The ACL of hack/mosquitto: node1's forgery on node2's topic is dropped by the broker.
    const metricsPort = await freePort();
    const router = startRouterProcess(setup, metricsPort, 'router#0');
    await router.waitForLog('subscribed', subscribed);
    const forger = await agent(setup, 'node1');
    await forger.send({ kind: 'register', network: '10.1.1.2/32', srv6Endpoint: E2 }, 'galactic/node2/send');
    await forger.send({ kind: 'register', network: '10.1.1.1/32', srv6Endpoint: E1 });
    await forger.send({ kind: 'deregister', network: '10.1.1.1/32', srv6Endpoint: E1 });
    await router.waitForLog('the deregister', (l) => l.msg === 'deregistered');
    expect(router.logs().filter((l) => l.msg === 'registered').map((l) => l.worker)).to.deep.equal(['node1']);
    await forger.close();
    // The shipped mosquitto.conf: a worker that uses the router's client id gets its own (its username) instead,
    // so the router stays connected; a retained publish disconnects its client.
    const impostor = await FakeAgent.connect(setup.brokerUrl, 'node1', { username: 'node1', password: PASSWORDS.node1, clientId: 'router' });
    const closed = new Promise<void>((resolve) => impostor.client.once('close', () => resolve()));
    impostor.client.publish('galactic/node1/send', Buffer.from('stale'), { qos: 1, retain: true });
    await closed;
    await impostor.close();
    const late = await agent(setup, 'node2');
    await late.register('10.1.1.2/32', E2);
    await late.deregister('10.1.1.2/32', E2);
    await router.waitForLog('node2\'s deregister', (l) => l.msg === 'deregistered' && l.worker === 'node2');
    expect(router.logs().filter((l) => l.msg === 'MQTT connection lost; reconnecting')).to.deep.equal([]);
    expect(router.logs().filter((l) => l.msg === 'dropped invalid message')).to.deep.equal([]);
    await late.close();
    expect(await router.stop('SIGTERM')).to.equal(0);
    await threeWorkersWithRestart(setup);
  });

  it('a router killed mid-burst loses no registration: each is acknowledged only once handled', async () => {
    const setup = { brokerUrl: await aedesBroker(), dbUrl: `sqlite:${join(dir, 'crash.db')}`, auth: true };
    const metricsPort = await freePort();
    let router = startRouterProcess(setup, metricsPort, 'router#1');
    await router.waitForLog('subscribed', subscribed);
    const [node1, node2] = [await agent(setup, 'node1'), await agent(setup, 'node2')];
    await node2.register('10.1.1.2/32', E2);
    const networks = Array.from({ length: 300 }, (_, i) => `10.2.${i >> 8}.${i & 255}/32`);
    await Promise.all(networks.map((network) => node1.register(network, E1)));
    await router.waitForLog('a few registrations handled', () => router.logs().filter((l) => l.msg === 'registered').length >= 20);
    await router.stop('SIGKILL');
    router = startRouterProcess(setup, metricsPort, 'router#2');
    await waitFor(() => networks.every((network) => node2.table.has(`${E2} ${network}`)), { what: 'node2 to have a route to every network of node1', timeoutMs: 30_000 });
    expect(node1.rows()).to.deep.equal([`${E1} 10.1.1.2/32 → ${E2}`]);
    const metrics = await waitFor(async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(), { what: 'metrics' });
    expect(sample(metrics, 'galactic_router_registrations')).to.equal(301);
  });

  it('PostgreSQL store: three workers, router restart in the middle', async () => {
    const postgres = await startPostgres();
    running.push({ stop: () => postgres.stop() });
    await threeWorkersWithRestart({ brokerUrl: await aedesBroker(), dbUrl: await createDatabase(postgres, 'router'), auth: true });
  });

  it('galactic router --embedded-broker: one process is the whole control plane', async () => {
    const port = await freePort();
    const router = startGalactic('router', ['router', '--embedded-broker', String(port), '--broker-host', '127.0.0.1', '--db-url', ':memory:']);
    running.push({ child: router, stop: () => router.stop('SIGKILL') });
    await router.waitForLog('subscribed', subscribed);
    const setup = { brokerUrl: `mqtt://127.0.0.1:${port}`, dbUrl: ':memory:', auth: false };
    const [node1, node2, node3] = [await agent(setup, 'node1'), await agent(setup, 'node2'), await agent(setup, 'node3')];
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node3.register('10.1.1.3/32', E3);
    await Promise.all([node1.waitForRoutes(2), node2.waitForRoutes(2), node3.waitForRoutes(2)]);
    expect(node3.rows()).to.deep.equal([`${E3} 10.1.1.1/32 → ${E1}`, `${E3} 10.1.1.2/32 → ${E2}`]);
    expect(router.logs().some((l) => l.level === 'warn' && /anonymous/.test(String(l.msg)))).to.equal(true);
    expect(await router.stop('SIGINT')).to.equal(0);
  });
});
