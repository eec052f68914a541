// The router's inbound window against the embedded Aedes broker, over MQTT
// (router/transport.ts): how many messages it takes before acknowledging, and
// that a message it did not acknowledge comes back with its persistent
// session; and in process (router/transport-aedes.ts): the same window, a
// worker paused while its message waits for the window, and routes reaching
// a worker.
import { expect } from 'chai';
import mqtt from 'mqtt';
import { memoryLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import { type RunningBroker, startBroker } from './broker.js';
import { connectRouterTransport, type InboundMessage, type RouterTransport } from './transport.js';
import { inProcessTransport } from './transport-aedes.js';

describe('router transport (embedded Aedes)', function () {
  this.timeout(20_000);
  let broker: RunningBroker;
  let worker: mqtt.MqttClient;
  const transports: RouterTransport[] = [];

  /** Starts `transport`, subscribed, collecting what it is given. */
  const started = async (transport: RouterTransport): Promise<InboundMessage[]> => {
    transports.push(transport);
    const received: InboundMessage[] = [];
    transport.messages$.subscribe((m) => received.push(m));
    transport.start();
    await waitFor(() => transport.connected$.value, { what: 'the transport to connect' });
    await transport.subscribe('galactic/+/send');
    return received;
  };
  /** A transport with a persistent session. */
  const connect = (window: number, qos: 1 | 2 = 1): Promise<InboundMessage[]> =>
    started(connectRouterTransport({ url: `mqtt://127.0.0.1:${broker.port}`, qos, clientId: 'router' }, memoryLogger('transport'), window));
  const send = (n: number, qos: 1 | 2 = 1) => worker.publishAsync('galactic/node1/send', Buffer.from(`m${n}`), { qos });
  const names = (messages: InboundMessage[]): string[] => messages.map((m) => m.payload.toString());

  /** With a window of 3 and 5 messages sent: 3 taken, then one more per message settled (acked or released, in any order). */
  const takesItsWindow = async (received: InboundMessage[], settleFirst: 0 | 1): Promise<void> => {
    // Not one by one: an in-process router reads no more from a worker with a message waiting for the window.
    const sent = Promise.all([1, 2, 3, 4, 5].map((n) => send(n)));
    await waitFor(() => received.length === 3, { what: 'a window of three messages' });
    // The broker has more; the transport takes no further until a message is settled.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(names(received)).to.deep.equal(['m1', 'm2', 'm3']);
    received[settleFirst]!.ack();
    await waitFor(() => received.length === 4, { what: 'the fourth message' });
    received[1 - settleFirst]!.release();
    await waitFor(() => received.length === 5, { what: 'the fifth message' });
    expect(names(received)).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5']);
    await sent;
  };

  beforeEach(async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic', logger: memoryLogger('broker') });
    worker = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, clientId: 'node1' });
  });

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close(0)));
    await worker.endAsync(true);
    await broker.close();
  });

  it('takes up to its window of messages before acknowledging any, then one more per message settled', async () => {
    await takesItsWindow(await connect(3), 0);
  });

  it('acknowledges what was acked, in arrival order: the rest comes back to the next session', async () => {
    const received = await connect(8);
    for (let n = 1; n <= 4; n++) await send(n);
    await waitFor(() => received.length === 4, { what: 'four messages' });
    // PUBACKs go out in arrival order: m2's waits for m1 and goes out when m1 is released;
    // m4's waits for m3, which is never settled, so m4 comes back too.
    received[1]!.ack();
    received[0]!.release();
    received[3]!.ack();
    await transports[0]!.close(0);
    const again = await connect(8);
    await waitFor(() => again.length === 3, { what: `the unacknowledged messages again (got ${names(again).join(', ')})` });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(names(again)).to.deep.equal(['m1', 'm3', 'm4']);
  });

  it('takes a QoS 2 message alone and completes it only when acked', async () => {
    const received = await connect(8, 2);
    await send(1, 2);
    await send(2, 2);
    await waitFor(() => received.length === 1, { what: 'the first message' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(names(received), 'nothing more before the first is completed').to.deep.equal(['m1']);
    received[0]!.ack();
    await waitFor(() => received.length === 2, { what: 'the second message once the first is completed' });
    received[1]!.ack();
    await transports[0]!.close(0);
    // Both were completed: the next session gets only what is sent after.
    const again = await connect(8, 2);
    await send(3, 2);
    await waitFor(() => again.length >= 1, { what: 'the third message' });
    expect(names(again)).to.deep.equal(['m3']);
  });

  describe('in process (--embedded-broker)', () => {
    const inProcess = (window: number): Promise<InboundMessage[]> => started(inProcessTransport(broker.aedes, 1, memoryLogger('transport'), window));

    it('takes up to its window of messages, then one more per message settled, in arrival order', async () => {
      await takesItsWindow(await inProcess(3), 1);
    });

    it('publishes to a worker\'s topic, resolved once the broker has it on its way', async () => {
      const received = await inProcess(3);
      const got: string[] = [];
      worker.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
      await worker.subscribeAsync('galactic/node1/receive', { qos: 1 });
      await transports[0]!.publish('galactic/node1/receive', Buffer.from('route'));
      await waitFor(() => got.length === 1, { what: 'the route at the worker' });
      expect(got).to.deep.equal(['galactic/node1/receive route']);
      expect(received, 'its own publishes are not delivered to the router').to.deep.equal([]);
    });

    it('reads nothing more from a worker with a message waiting for the window: its next one is not even acknowledged', async () => {
      const received = await inProcess(1);
      await send(1); // Aedes acknowledges before it delivers
      await waitFor(() => received.length === 1, { what: 'the first message' });
      await send(2); // acknowledged, and waits for the window
      let acknowledged = false;
      const third = send(3).then(() => (acknowledged = true));
      // Two round trips through the broker on another connection: had the broker read m3, its PUBACK would be back by then.
      const other = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, clientId: 'node2' });
      for (const tick of ['a', 'b']) await other.publishAsync('galactic/node2/receive', tick, { qos: 1 });
      await other.endAsync(true);
      expect(acknowledged, 'm3 acknowledged while m2 waits for the window').to.equal(false);
      received[0]!.ack();
      await waitFor(() => received.length === 2, { what: 'the second message once the first is settled' });
      await third;
      received[1]!.ack();
      await waitFor(() => received.length === 3, { what: 'the third message' });
      expect(names(received)).to.deep.equal(['m1', 'm2', 'm3']);
    });

    it('once closed takes nothing more: held and later messages are dropped, not emitted', async () => {
      const received = await inProcess(1);
      const sent = Promise.all([1, 2, 3].map((n) => send(n)));
      await waitFor(() => received.length === 1, { what: 'the first message' });
      await transports[0]!.close(0);
      received[0]!.ack();
      await sent;
      await send(4);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(names(received)).to.deep.equal(['m1']);
    });
  });
});
