// The agent in this process, its kernel adapter in a network namespace on
// this machine's kernel (no VRF here: what needs one is in
// agent.kernel.test.ts), against a real broker and a scripted router.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServiceError, status } from '@grpc/grpc-js';
import { expect } from 'chai';
import { memoryLogger } from '../lib/log.js';
import { parseSrv6Net } from '../lib/sid.js';
import { waitFor } from '../lib/wait.js';
import { type RunningBroker, startBroker } from '../router/broker.js';
import { type Agent, startAgent } from './agent.js';
import type { AgentConfig } from './config.js';
import { callLocal } from './testing/local-client.js';
import { type Netns, createNetns } from './testing/netns.js';
import { ScriptedRouter } from './testing/router-client.js';

const RECEIVE = 'galactic/node1/receive';

describe('agent (in process, network namespace on this kernel)', function () {
  this.timeout(30_000);
  let ns: Netns;
  let dir: string;
  let broker: RunningBroker;
  let router: ScriptedRouter;
  let agent: Agent | undefined;
  let logger: ReturnType<typeof memoryLogger>;

  const config = (): AgentConfig => ({
    srv6Net: parseSrv6Net('2001:db8:ff01::/48'),
    srv6NetText: '2001:db8:ff01::/48',
    socketPath: join(dir, 'agent.sock'),
    stateFile: join(dir, 'agent-state.json'),
    mqtt: { url: `mqtt://127.0.0.1:${broker.port}`, qos: 1, reconnectMs: 100 },
    sendTopic: 'galactic/node1/send',
    receiveTopic: RECEIVE,
    encapDevice: 'lo',
    resyncIntervalMs: 60_000,
    metrics: { port: 0, host: '127.0.0.1' },
    netns: ns.name,
  });

  beforeEach(async () => {
    ns = await createNetns('agent');
    dir = mkdtempSync(join(tmpdir(), 'galactic-agent-'));
    broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic', logger: memoryLogger('broker') });
    router = await ScriptedRouter.connect(`mqtt://127.0.0.1:${broker.port}`, RECEIVE);
    logger = memoryLogger('agent');
  });

  afterEach(async () => {
    await agent?.close();
    agent = undefined;
    await router.close();
    await broker.close();
    await ns.delete();
    rmSync(dir, { recursive: true, force: true });
  });

  const failure = (promise: Promise<unknown>): Promise<ServiceError> =>
    promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: ServiceError) => error,
    );

  it('serves local.v1.Local on a 0600 socket; rejects invalid requests and attachments whose VRF does not exist', async () => {
    agent = await startAgent(config(), logger);
    const socket = config().socketPath;
    expect(statSync(socket).mode & 0o777).to.equal(0o600);

    const invalid = await failure(callLocal(socket, 'Register', { vpc: 'xyz', vpcattachment: '0001', networks: [] }));
    expect(invalid.code).to.equal(status.INVALID_ARGUMENT);
    expect(invalid.details).to.match(/vpc "xyz" must be 1-12 hex digits/);

    const noVrf = await failure(callLocal(socket, 'Register', { vpc: '00000000beef', vpcattachment: '0001', networks: ['10.1.1.1/32'] }));
    expect(noVrf.code).to.equal(status.FAILED_PRECONDITION);
    expect(noVrf.details).to.equal('VRF G000000cIn001V does not exist (the CNI plugin creates it before Register)');
    expect(agent.registrations.all(), 'rolled back').to.deep.equal([]);
    expect(JSON.parse(readFileSync(config().stateFile, 'utf8'))).to.deep.equal({ registrations: [] });
    await waitFor(() => router.of('summary').length === 1, { what: 'the anti-entropy summary' });
    expect(router.of('register')).to.deep.equal([]);
  });

  it('creates the socket and state file directories with mode 0700 and the socket 0600 even with umask 0', async () => {
    const socketPath = join(dir, 'run', 'galactic', 'agent.sock');
    const stateFile = join(dir, 'lib', 'galactic', 'agent-state.json');
    const umask = process.umask(0);
    try {
      agent = await startAgent({ ...config(), socketPath, stateFile }, logger);
    } finally {
      process.umask(umask);
    }
    for (const directory of ['run', 'run/galactic', 'lib', 'lib/galactic']) expect(statSync(join(dir, directory)).mode & 0o777, directory).to.equal(0o700);
    expect(statSync(socketPath).mode & 0o777).to.equal(0o600);
    expect(statSync(stateFile).mode & 0o777).to.equal(0o600);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).to.deep.equal({ registrations: [] });
  });

  it('a route of its protocol added by hand is removed at once (ip monitor; the resync is a minute away), and counted as drift', async () => {
    agent = await startAgent(config(), logger);
    const base = `http://127.0.0.1:${agent.healthPort}`;
    const drift = async (cause: string): Promise<number> =>
      Number(new RegExp(`^galactic_agent_kernel_drift_total\\{cause="${cause}",component="agent"\\} (\\d+)$`, 'm').exec(await (await fetch(`${base}/metrics`)).text())?.[1]);
    await waitFor(async () => (await drift('monitor-started')) === 1, { what: 'the kernel monitor' });
    await ns.ip(['route', 'add', '192.0.2.0/24', 'dev', 'lo', 'table', '100', 'proto', '201']);
    await waitFor(async () => (await ns.ip(['route', 'show', 'table', '100'])).trim() === '', { what: 'the stray route removed', timeoutMs: 5000 });
    expect(await drift('change')).to.be.at.least(1);
  });

  it('Deregister is idempotent: confirmed for an unknown attachment, and withdrawn from the router per network', async () => {
    agent = await startAgent(config(), logger);
    await waitFor(() => router.of('summary').length === 1, { what: 'connection' });
    const reply = await callLocal(config().socketPath, 'Deregister', { vpc: '00000000beef', vpcattachment: '0001', networks: ['10.1.1.1/32', '2001:10:1:1::1/128'] });
    expect(reply).to.deep.equal({ confirmed: true });
    await waitFor(() => router.of('deregister').length === 2, { what: 'the deregister messages' });
    expect(router.of('deregister').map((m) => m.network)).to.deep.equal(['10.1.1.1/32', '2001:10:1:1::1/128']);
  });

  it('at start, withdraws stored registrations whose VRF is gone (pod deleted while the agent was down)', async () => {
    writeFileSync(config().stateFile, JSON.stringify({ registrations: [{ vpc: '00000000beef', vpcattachment: '0002', networks: ['10.1.1.2/32'] }] }));
    agent = await startAgent(config(), logger);
    await waitFor(() => router.of('summary').length === 1, { what: 'connection' });
    expect(router.sent.map((m) => m.kind)).to.deep.equal(['deregister', 'summary']);
    const [deregister] = router.of('deregister');
    expect(deregister).to.deep.equal({ kind: 'deregister', network: '10.1.1.2/32', srv6Endpoint: '2001:db8:ff01::beef:2', sequence: deregister!.sequence });
    expect(JSON.parse(readFileSync(config().stateFile, 'utf8'))).to.deep.equal({ registrations: [] });
  });

  it('numbers its announcements above every earlier run\'s, reserving them in a file next to the state file', async () => {
    const gone = (vpcattachment: string, network: string): string => JSON.stringify({ registrations: [{ vpc: '00000000beef', vpcattachment, networks: [network] }] });
    writeFileSync(config().stateFile, gone('0002', '10.1.1.2/32'));
    agent = await startAgent(config(), logger);
    await waitFor(() => router.of('deregister').length === 1, { what: 'the first run\'s deregister' });
    await agent.close();
    writeFileSync(config().stateFile, gone('0003', '10.1.1.3/32'));
    agent = await startAgent(config(), logger);
    await waitFor(() => router.of('deregister').length === 2, { what: 'the second run\'s deregister' });
    const [first, second] = router.of('deregister').map((m) => m.sequence!);
    expect(second, 'the restarted agent\'s sequence').to.be.greaterThan(first!);
    expect(Number(readFileSync(`${config().stateFile}.sequence`, 'utf8')), 'the reservation').to.be.at.least(second!);
  });

  it('exposes health and Prometheus metrics: registrations, routes, rejected messages by reason, reconcile passes', async () => {
    agent = await startAgent(config(), logger);
    const base = `http://127.0.0.1:${agent.healthPort}`;
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, { what: 'readiness (MQTT connected, a kernel pass done)' });
    await router.answerSummary([]);
    await router.publish({ kind: 'route', network: '10.1.1.2/32', srv6Endpoint: '2001:db8:ff09::1', srv6Segments: ['2001:db8:ff02::1'], status: 'ADD' });
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes('galactic_agent_rejected_messages_total{reason="foreign-sid",component="agent"} 1') ? text : undefined;
      },
      { what: 'the rejected message in /metrics' },
    );
    expect(metrics).to.match(/^galactic_agent_registrations\{component="agent"\} 0$/m);
    expect(metrics).to.match(/^galactic_agent_routes_programmed\{family="4",component="agent"\} 0$/m);
    expect(metrics).to.match(/^galactic_reconcile_passes_total\{loop="agent",outcome="ok",component="agent"\} [1-9]/m);
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
  });
});
