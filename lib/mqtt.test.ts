// The MQTT adapter against a real broker through the fault proxy: what happens
// to a publish the broker never acknowledged when the connection drops.
import { expect } from 'chai';
import mqtt from 'mqtt';
import { filter, firstValueFrom } from 'rxjs';
import { startBroker } from '../router/broker.js';
import { MqttFaultProxy } from '../test/support/mqtt-fault-proxy.js';
import { memoryLogger } from './log.js';
import { connectMqtt } from './mqtt.js';
import { waitFor } from './wait.js';

describe('MQTT adapter: publishes unacknowledged at a disconnect', function () {
  this.timeout(20_000);

  /** Sends "stale" (lost on the way), "fresh", cuts the line, then "after"; returns what a subscriber got. */
  async function sequence(dropUnacknowledgedOnDisconnect: boolean): Promise<string[]> {
    const broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic', logger: memoryLogger('broker') });
    const rolls = [0.1]; // the first PUBLISH through the proxy is dropped, every later one passes
    const proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: broker.port }, { drop: 0.2, duplicate: 0 }, () => rolls.shift() ?? 0.9);
    const receiver = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
    const sender = connectMqtt({ url: proxy.url, qos: 1, clientId: 'sender', reconnectMs: 50, dropUnacknowledgedOnDisconnect }, memoryLogger('mqtt'));
    try {
      const received: string[] = [];
      receiver.on('message', (_topic, payload) => received.push(payload.toString()));
      await receiver.subscribeAsync('t', { qos: 1 });
      await firstValueFrom(sender.connected$.pipe(filter(Boolean)));
      const stale = sender.publish('t', Buffer.from('stale')).catch(() => 'removed');
      await sender.publish('t', Buffer.from('fresh'));
      proxy.cutConnections();
      await firstValueFrom(sender.connected$.pipe(filter((up) => !up)));
      await firstValueFrom(sender.connected$.pipe(filter(Boolean)));
      await sender.publish('t', Buffer.from('after'));
      await waitFor(() => received.includes('after'), { what: 'the message sent after the reconnect' });
      if (dropUnacknowledgedOnDisconnect) expect(await stale).to.equal('removed');
      return received;
    } finally {
      await sender.close();
      await receiver.endAsync(true);
      await proxy.close();
      await broker.close();
    }
  }

  it('are resent after the reconnect by default, arriving after newer ones', async () => {
    expect(await sequence(false)).to.deep.equal(['fresh', 'stale', 'after']);
  });

  it('are forgotten with dropUnacknowledgedOnDisconnect (the agent: anti-entropy resends current state)', async () => {
    expect(await sequence(true)).to.deep.equal(['fresh', 'after']);
  });
});
