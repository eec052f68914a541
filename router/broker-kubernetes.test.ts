// `galactic broker --kubernetes-auth` against a real kube-apiserver: service
// account tokens minted by the API server (TokenRequest, bound to pods on
// nodes), checked by TokenReview. A node's agent speaks only as its node; the
// router's token is the router; anything else is refused.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { stringify } from 'yaml';
import { loadKubeConfig } from '../controllers/kube.js';
import { type TestCluster, startTestCluster } from '../controllers/testing.js';
import { memoryLogger } from '../lib/log.js';
import { connectMqtt } from '../lib/mqtt.js';
import { waitFor } from '../lib/wait.js';
import { type RunningBroker, startBroker } from './broker.js';
import { KUBERNETES_ROUTER_CLIENT_ID, kubernetesAuthenticator, tokenReviewer } from './broker-kubernetes.js';
import { type RouterHandle, startRouter } from './service.js';
import { FakeAgent } from './testing/agent.js';
import { MqttFaultProxy } from '../test/support/mqtt-fault-proxy.js';

const E1 = '2001:db8:1::4d2:1';
const E2 = '2001:db8:2::4d2:1';
const NS = 'galactic-system';

describe('galactic broker --kubernetes-auth, tokens from a real API server', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let broker: RunningBroker;
  let url: string;
  let now = Date.now();
  const logger = memoryLogger('broker');
  const dir = mkdtempSync(join(tmpdir(), 'galactic-kube-auth-'));

  const token = async (serviceAccount: string, options: { pod?: string; audience?: string } = {}): Promise<string> =>
    (await cluster.kubectl('create', 'token', serviceAccount, '-n', NS, '--audience', options.audience ?? 'galactic-broker', ...(options.pod ? ['--bound-object-kind', 'Pod', '--bound-object-name', options.pod] : []))).trim();
  const createPod = (name: string, node: string, serviceAccount: string) =>
    cluster.kubectlIn(stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { nodeName: node, serviceAccountName: serviceAccount, containers: [{ name: 'c', image: 'galactic' }] } }), 'create', '-f', '-');
  /** The CONNACK error of a login, or 'accepted'. */
  const login = (clientId: string, password: string) =>
    mqtt.connectAsync(url, { clientId, username: 'any', password, reconnectPeriod: 0, protocolVersion: 4 }).then(
      async (client) => {
        await client.endAsync(true);
        return 'accepted';
      },
      (error: Error) => error.message,
    );

  before(async () => {
    cluster = await startTestCluster({ crds: false });
    for (const sa of ['galactic-agent', 'galactic-router', 'someone-else']) await cluster.kubectl('create', 'serviceaccount', sa, '-n', NS);
    for (const node of ['node1', 'node2']) await cluster.kubectlIn(stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: node } }), 'create', '-f', '-');
    await createPod('agent-node1', 'node1', 'galactic-agent');
    await createPod('agent-node2', 'node2', 'galactic-agent');
    const authenticator = kubernetesAuthenticator({
      review: tokenReviewer(loadKubeConfig(cluster.api.kubeconfigPath)),
      agentServiceAccount: `${NS}/galactic-agent`,
      routerServiceAccount: `${NS}/galactic-router`,
      clock: () => now,
    });
    broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic/', logger, authenticator });
    url = `mqtt://127.0.0.1:${broker.port}`;
  });

  after(async () => {
    await broker?.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes flow between two nodes and a router that each log in with their own token', async () => {
    const routerToken = join(dir, 'router-token');
    writeFileSync(routerToken, `${await token('galactic-router')}\n`);
    let router: RouterHandle | undefined;
    const agents: FakeAgent[] = [];
    try {
      router = await startRouter({
        mqtt: { url, qos: 1, clientId: KUBERNETES_ROUTER_CLIENT_ID, username: 'router', passwordFile: routerToken, reconnectMs: 100 },
        topicBase: 'galactic/',
        dbUrl: ':memory:',
        holddownMs: 0,
        logger: memoryLogger('router'),
      });
      await router.ready;
      for (const node of ['node1', 'node2']) agents.push(await FakeAgent.connect(url, node, { clientId: node, username: node, password: await token('galactic-agent', { pod: `agent-${node}` }) }));
      await agents[0]!.register('10.1.1.1/32', E1);
      await agents[1]!.register('10.1.1.2/32', E2);
      await agents[0]!.waitForRoutes(1);
      await agents[1]!.waitForRoutes(1);
      expect(agents[1]!.routes[0]).to.deep.include({ network: '10.1.1.1/32', srv6Segments: [E1], status: 'ADD' });
    } finally {
      await Promise.all(agents.map((a) => a.close()));
      await router?.stop();
    }
  });

  it("a node's token speaks only as that node: another node's client id or topic is refused", async () => {
    const node1 = await token('galactic-agent', { pod: 'agent-node1' });
    expect(await login('node2', node1)).to.match(/Identifier rejected/i);
    expect(await login(KUBERNETES_ROUTER_CLIENT_ID, node1), "the router's session").to.match(/Identifier rejected/i);
    const forger = await FakeAgent.connect(url, 'node1', { clientId: 'node1', username: 'node1', password: node1 });
    const closed = new Promise<void>((resolve) => forger.client.once('close', () => resolve()));
    forger.send({ kind: 'register', network: '10.1.1.9/32', srv6Endpoint: E2 }, 'galactic/node2/send').catch(() => undefined);
    await closed;
    expect(logger.lines.some((l) => l.msg === 'MQTT publish refused; disconnecting the client' && l.topic === 'galactic/node2/send')).to.equal(true);
  });

  it('refuses tokens that are not bound to a scheduled pod, carry another audience, or belong to another service account', async () => {
    expect(await login('node1', await token('galactic-agent')), 'unbound').to.match(/Bad username or password/i);
    expect(await login('node1', await token('galactic-agent', { pod: 'agent-node1', audience: 'someone' })), 'audience').to.match(/Bad username or password/i);
    expect(await login('node1', await token('someone-else')), 'service account').to.match(/Bad username or password/i);
    expect(await login('node1', 'not-a-token'), 'garbage').to.match(/Bad username or password/i);
    const reasons = logger.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('MQTT client refused: ')).map((l) => String(l.msg));
    expect(reasons).to.include('MQTT client refused: agent token is not bound to a pod on a node: use a projected service account token');
    expect(reasons.some((r) => r.includes('service account system:serviceaccount:galactic-system:someone-else is neither'))).to.equal(true);
  });

  it('reads a rotated token from the password file at every reconnect', async () => {
    const file = join(dir, 'node1-token');
    const oldToken = await token('galactic-agent', { pod: 'agent-node1' });
    writeFileSync(file, oldToken);
    const proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: broker.port }, { drop: 0, duplicate: 0 });
    const connection = connectMqtt({ url: proxy.url, qos: 1, clientId: 'node1', username: 'node1', passwordFile: file, reconnectMs: 100 }, memoryLogger('agent'));
    try {
      await waitFor(() => connection.connected$.value, { what: 'the first login' });
      // The pod is replaced: its token dies with it; the kubelet writes the new pod's token.
      await cluster.kubectl('delete', 'pod', 'agent-node1', '-n', NS, '--grace-period=0', '--force'); // no kubelet to confirm
      await createPod('agent-node1', 'node1', 'galactic-agent');
      const review = tokenReviewer(loadKubeConfig(cluster.api.kubeconfigPath));
      await waitFor(async () => !(await review(oldToken, ['galactic-broker'])).authenticated, { what: 'the API server to refuse the old pod\'s token' });
      writeFileSync(file, await token('galactic-agent', { pod: 'agent-node1' }));
      now += 10 * 60_000; // past the broker's memory of reviewed tokens
      proxy.cutConnections();
      await waitFor(() => !connection.connected$.value, { what: 'the disconnect' });
      await waitFor(() => connection.connected$.value, { what: 'a login with the new token', timeoutMs: 20_000 });
    } finally {
      await connection.close();
      await proxy.close();
    }
  });
});
