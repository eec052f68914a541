// The router runs a worker loop's route-set read and its publishing in turn
// with message handling (router/service.ts `inTurn`): a set read before a
// Register was stored must reach the worker before that Register's ADD, or the
// worker, which replaces its routes with the set, drops the new route until
// the next repair. The store is slowed in one place to hold the race open.
import { expect } from 'chai';
import { summarise } from '../lib/anti-entropy.js';
import { memoryLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import type { Message } from '../proto/remote.js';
import { MqttFaultProxy } from '../test/support/mqtt-fault-proxy.js';
import { type RunningBroker, startBroker } from './broker.js';
import { type RouterHandle, startRouter } from './service.js';
import { FakeAgent } from './testing/agent.js';

const E1 = '2001:db8:1::4d2:1';
const E2 = '2001:db8:2::4d2:1';
/** How long a Register the router has received may take to be handled when it is not held up by the turn. */
const UNHELD_HANDLING_MS = 500;

/** The routes a worker ends with: a RouteSet replaces them, a route message adds or deletes one (as agent/control-plane.ts). */
function agentTable(received: readonly Message[]): string[] {
  const table = new Set<string>();
  for (const message of received) {
    if (message.kind === 'routeSet') {
      table.clear();
      for (const route of message.routes) table.add(`${route.srv6Endpoint} ${route.network}`);
    } else if (message.kind === 'route') {
      if (message.status === 'ADD') table.add(`${message.srv6Endpoint} ${message.network}`);
      else table.delete(`${message.srv6Endpoint} ${message.network}`);
    }
  }
  return [...table].sort();
}

describe('router: a worker loop\'s route set and a concurrent Register take turns', function () {
  this.timeout(30_000);
  let broker: RunningBroker;
  let proxy: MqttFaultProxy;
  let router: RouterHandle;
  const agents: FakeAgent[] = [];

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
    await router?.stop();
    await proxy?.close();
    await broker?.close();
  });

  it('a route set read before a Register was stored reaches the worker before that Register\'s ADD', async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic', logger: memoryLogger('broker') });
    proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: broker.port }, { drop: 0, duplicate: 0 });
    // No faults: the proxy only reports when node2's messages are handed to the router.
    let forwardedToRouter = 0;
    proxy.setRates({ drop: Number.MIN_VALUE, duplicate: 0 }, (topic) => {
      if (topic === 'galactic/node2/send') forwardedToRouter++;
      return false;
    });
    router = await startRouter({ mqtt: { qos: 1, clientId: 'router', url: proxy.url }, topicBase: 'galactic/', dbUrl: ':memory:', holddownMs: 0, logger: memoryLogger('router') });
    await router.ready;
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const [node1, node2] = [await FakeAgent.connect(url, 'node1'), await FakeAgent.connect(url, 'node2')];
    agents.push(node1, node2);
    await node1.register('10.1.1.1/32', E1);
    await node2.register('10.1.1.2/32', E2);
    await node1.waitForRoutes(1);

    // Hold the route set's VPC read, after it has read: the set is a snapshot from before the Register below.
    const store = router.store;
    const vpcsOf = store.vpcsOf.bind(store);
    const vpc = store.vpc.bind(store);
    let node1Reads = 0;
    let holdNextVpcRead = false;
    let held!: () => void;
    const heldRead = new Promise<void>((resolve) => (held = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    store.vpcsOf = async (worker) => {
      const vpcs = await vpcsOf(worker);
      // The loop reads node1's VPCs twice for a Summary: its digests, then (in turn) the route set.
      if (worker === 'node1' && ++node1Reads === 2) holdNextVpcRead = true;
      return vpcs;
    };
    store.vpc = async (id) => {
      const rows = await vpc(id);
      if (holdNextVpcRead) {
        holdNextVpcRead = false;
        held();
        await released;
      }
      return rows;
    };

    const from = node1.received.length;
    // A Summary claiming no routes: the loop answers with the full route set.
    await node1.send({ kind: 'summary', requestId: 'node1:1', registrations: summarise([]), routes: summarise([]) });
    await heldRead;
    await node2.register('10.1.1.3/32', E2);
    // Unheld (no turns), the Register is handled and its ADD sent while the set waits; in turn, it waits for the set.
    const addSent = waitFor(() => node1.routes.some((r) => r.network === '10.1.1.3/32'), { what: 'the ADD', timeoutMs: 10_000 }).catch(() => undefined);
    const handlingWindow = waitFor(() => forwardedToRouter === 2, { what: 'the Register handed to the router' }).then(() => new Promise((resolve) => setTimeout(resolve, UNHELD_HANDLING_MS)));
    await Promise.race([addSent, handlingWindow]);
    release();

    await waitFor(() => node1.received.slice(from).some((m) => m.kind === 'routeSet') && node1.routes.some((r) => r.network === '10.1.1.3/32'), { what: 'the route set and the ADD' });
    expect(agentTable(node1.received.slice(from)), 'node1\'s routes after the set and the ADD').to.deep.equal([`${E1} 10.1.1.2/32`, `${E1} 10.1.1.3/32`]);
  });
});
