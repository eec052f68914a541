// Issue 8 (bench/chaos.ts --explain, seed 3): a Register whose routes the broker
// did not acknowledge in time is handled again; the store already holds it, so
// the second handling is an explicit re-registration (SPEC §9: DELETE then ADD
// to every peer). If that ADD is lost, peers remove a route that must stay.
import { expect } from 'chai';
import mqtt from 'mqtt';
import { memoryLogger } from '../lib/log.js';
import { encodeSid, parseSrv6Net } from '../lib/sid.js';
import { waitFor } from '../lib/wait.js';
import { decodeMessage, encodeMessage, type Message } from '../proto/remote.js';
import { MqttFaultProxy } from '../test/support/mqtt-fault-proxy.js';
import { startBroker } from './broker.js';
import { type RouterHandle, startRouter } from './service.js';

describe('router: a message handled again after its routes were not acknowledged', function () {
  this.timeout(30_000);
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let proxy: MqttFaultProxy;
  let router: RouterHandle;
  let worker: mqtt.MqttClient;
  let logger: ReturnType<typeof memoryLogger>;
  /** The proxy's draws for the next PUBLISH packets (below 0.2: lost); then none is lost. */
  let rolls: number[];
  /** What the workers' receive topics got, by worker number. */
  let received: Map<number, Message[]>;
  const to = (node: number): Message[] => received.get(node) ?? [];
  const register = (node: number, network: string) =>
    worker.publishAsync(`galactic/node${node}/send`, Buffer.from(encodeMessage({ kind: 'register', network, srv6Endpoint: encodeSid(parseSrv6Net(`2001:db8:${node}::/48`), { vpc: 1n, attachment: BigInt(node) }) })), { qos: 1 });
  const routes = (messages: Message[], status: 'ADD' | 'DELETE'): Message[] => messages.filter((m) => m.kind === 'route' && m.status === status);

  beforeEach(async () => {
    rolls = [];
    received = new Map();
    broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic', logger: memoryLogger('broker') });
    proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: broker.port }, { drop: 0.2, duplicate: 0 }, () => rolls.shift() ?? 0.9);
    logger = memoryLogger('router');
    router = await startRouter({ mqtt: { qos: 1, clientId: 'router', url: proxy.url, reconnectMs: 50 }, topicBase: 'galactic/', dbUrl: ':memory:', holddownMs: 0, publishAckTimeoutMs: 500, logger });
    worker = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
    worker.on('message', (topic, payload) => {
      const node = Number(/^galactic\/node(\d+)\/receive$/.exec(topic)?.[1]);
      received.set(node, [...to(node), decodeMessage(payload)]);
    });
    await router.ready;
    await worker.subscribeAsync('galactic/+/receive', { qos: 1 });
  });

  afterEach(async () => {
    await worker.endAsync();
    await router.stop();
    await proxy.close();
    await broker.close();
  });

  it('sends its peers no DELETE', async () => {
    await register(1, '10.1.1.1/32');
    await register(2, '10.1.1.2/32');
    await waitFor(() => to(1).length + to(2).length === 2, { what: 'the two routes of the second registration' });
    rolls = [0.9, 0.1]; // the Register reaches the router; its first route to the broker is lost
    await register(3, '10.1.1.3/32');
    await waitFor(() => logger.lines.some((l) => l.msg === 'handling a message failed; retrying'), { what: 'the retry after the timeout' });
    await waitFor(() => [1, 2, 3].flatMap((n) => routes(to(n), 'ADD')).length >= 6, { what: 'the routes of the third registration' });
    expect([1, 2, 3].flatMap((n) => routes(to(n), 'DELETE'))).to.deep.equal([]);
  });

  // bench/chaos.ts seed 5: a re-registration's DELETE then ADD reached the peer, one of the
  // other publications was not acknowledged, and the retry sent the pair again: the
  // peer removed the route on the resent DELETE, and the resent ADD was lost.
  it('sends a peer no DELETE after the ADD that superseded it', async () => {
    const endsWithAdd = (messages: Message[], atLeast: number): boolean => {
      const last = messages.at(-1);
      return messages.length >= atLeast && last?.kind === 'route' && last.status === 'ADD';
    };
    await register(1, '10.1.1.1/32');
    await register(2, '10.1.1.2/32');
    await waitFor(() => to(1).length === 1, { what: 'node1 to learn 10.1.1.2' });
    // node2 registers again (its deregistration was lost): DELETE then ADD to node2 and to node1.
    // The Register, both DELETEs and node1's ADD pass; node2's ADD is lost, so the attempt times out and is retried.
    rolls = [0.9, 0.9, 0.9, 0.1, 0.9];
    await register(2, '10.1.1.2/32');
    await waitFor(() => logger.lines.some((l) => l.msg === 'handling a message failed; retrying'), { what: 'the retry after the timeout' });
    // The retry's routes: node2's ADD (lost the first time), and node1's after the first attempt's DELETE, ADD.
    await waitFor(() => endsWithAdd(to(2), 3) && endsWithAdd(to(1), 4), { what: 'the retried routes' });
    const statuses = to(1).map((m) => (m.kind === 'route' ? m.status : m.kind));
    expect(statuses.slice(2), `node1 received ${statuses.join(', ')}`).to.not.include('DELETE');
  });
});
