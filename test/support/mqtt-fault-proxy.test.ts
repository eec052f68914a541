// The fault proxy itself: MQTT framing across arbitrary TCP chunks, and drop /
// duplicate decisions applied to PUBLISH packets only, through a real broker.
import { expect } from 'chai';
import mqtt from 'mqtt';
import { memoryLogger } from '../../lib/log.js';
import { waitFor } from '../../lib/wait.js';
import { startBroker } from '../../router/broker.js';
import { MqttFaultProxy, MqttFramer, seededRandom } from './mqtt-fault-proxy.js';

describe('MQTT fault proxy', () => {
  it('frames packets split and joined arbitrarily, including multi-byte remaining lengths', () => {
    const ping = Buffer.from([0xc0, 0x00]);
    const big = Buffer.concat([Buffer.from([0x30, 0x80, 0x01]), Buffer.alloc(128, 7)]); // remaining length 128
    const stream = Buffer.concat([ping, big, ping]);
    const framer = new MqttFramer();
    const packets = [...stream].flatMap((byte) => framer.push(Buffer.from([byte])));
    expect(packets.map((p) => p.length)).to.deep.equal([2, 131, 2]);
    expect(new MqttFramer().push(stream).map((p) => p.length)).to.deep.equal([2, 131, 2]);
  });

  it('draws the same decisions from the same seed, in [0, 1)', () => {
    const draw = (seed: number): number[] => Array.from({ length: 100 }, seededRandom(seed));
    expect(draw(6)).to.deep.equal(draw(6));
    expect(draw(6)).to.not.deep.equal(draw(7));
    expect(draw(6).every((value) => value >= 0 && value < 1)).to.equal(true);
  });

  it('drops and duplicates PUBLISH packets at the given rates; the session survives', async function () {
    this.timeout(20_000);
    const broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic', logger: memoryLogger('broker') });
    // Decisions in turn while faulty: drop, duplicate, pass, drop, pass...
    const rolls = [0.1, 0.22, 0.9, 0.1];
    let roll = 0;
    const proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: broker.port }, { drop: 0.2, duplicate: 0.05 }, () => rolls[roll++] ?? 0.9);
    const receiver = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
    const sender = await mqtt.connectAsync(proxy.url, { protocolVersion: 4 });
    try {
      const received: string[] = [];
      receiver.on('message', (_topic, payload) => received.push(payload.toString()));
      await receiver.subscribeAsync('t', { qos: 0 });
      for (const text of ['lost', 'twice', 'once']) sender.publish('t', text, { qos: 0 });
      await waitFor(() => received.includes('once'), { what: 'the last message' });
      expect(received).to.deep.equal(['twice', 'twice', 'once']);
      expect(proxy.stats).to.deep.equal({ publishes: 3, dropped: 1, duplicated: 1 });
      // A clean line passes everything and draws no decision: the next faulty one is the next in turn.
      proxy.setRates({ drop: 0, duplicate: 0 });
      sender.publish('t', 'clean', { qos: 0 });
      await waitFor(() => received.includes('clean'), { what: 'the message on the clean line' });
      proxy.setRates({ drop: 0.2, duplicate: 0.05 });
      for (const text of ['lost again', 'last']) sender.publish('t', text, { qos: 0 });
      await waitFor(() => received.includes('last'), { what: 'the last message' });
      expect(received).to.deep.equal(['twice', 'twice', 'once', 'clean', 'last']);
      expect(proxy.stats).to.deep.equal({ publishes: 6, dropped: 2, duplicated: 1 });
    } finally {
      await sender.endAsync(true);
      await receiver.endAsync(true);
      await proxy.close();
      await broker.close();
    }
  });
});
