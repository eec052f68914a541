// The router's MQTT connection. Like lib/mqtt.ts (same settings and session
// rule), except that an incoming message is acknowledged only after the
// router has handled it: mqtt.js reads the next packet only once `ack()` is
// called, so messages arrive strictly one at a time, nothing is buffered in
// the process, and a router that stops or crashes mid-message gets that
// message again from its persistent session. Publishing never waits for the
// broker's PUBACK (those arrive on the same, paused, packet stream); mqtt.js
// keeps publishes in call order and resends unacknowledged ones on reconnect.
import mqtt, { type MqttClient } from 'mqtt';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import type { Logger } from '../lib/log.js';
import { clientOptions, type MqttSettings, wantsCleanSession } from '../lib/mqtt.js';

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  /** Acknowledge (QoS 1) and let the next message in. */
  ack(): void;
  /** Leave it unacknowledged (the broker redelivers it to the next session) and let the next one in; for shutdown. */
  release(): void;
}

export interface RouterTransport {
  /** Emits one message at a time; the next comes after the previous one's ack(). */
  readonly messages$: Observable<InboundMessage>;
  readonly connected$: BehaviorSubject<boolean>;
  /** Connects (and keeps reconnecting); subscribe to messages$ first. */
  start(): void;
  subscribe(filter: string): Promise<void>;
  /** Queues a publish; resolves when the broker acknowledged it (QoS 1) or it was written (QoS 0). */
  publish(topic: string, payload: Uint8Array): Promise<void>;
  /** Publishes not yet acknowledged. */
  pending(): number;
  /** Stops taking messages (they stay with the broker), waits up to `flushMs` for pending publishes, disconnects. */
  close(flushMs?: number): Promise<void>;
}

export function connectRouterTransport(settings: MqttSettings, logger: Logger): RouterTransport {
  const log = logger.child({ broker: settings.url });
  const client: MqttClient = mqtt.connect(settings.url, { ...clientOptions(settings), manualConnect: true });
  const messages = new Subject<InboundMessage>();
  const connected$ = new BehaviorSubject(false);
  let inflight = 0;
  let closing = false;
  const whenIdle: Array<() => void> = [];
  client.handleMessage = (packet, callback) => {
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      // With an error mqtt.js sends no PUBACK but goes on reading packets.
      callback(error);
    };
    if (closing) return settle(new Error('router stopping'));
    messages.next({
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      ack: () => settle(),
      release: () => settle(new Error('router stopping')),
    });
  };
  client.on('connect', (packet) => {
    log.info('connected to MQTT broker', { sessionPresent: packet.sessionPresent, clean: wantsCleanSession(settings) });
    connected$.next(true);
  });
  client.on('close', () => {
    if (connected$.value && !closing) log.warn('MQTT connection lost; reconnecting');
    if (connected$.value) connected$.next(false);
  });
  client.on('error', (error) => log.warn('MQTT error', { error }));
  return {
    messages$: messages.asObservable(),
    connected$,
    start: () => {
      client.connect();
    },
    subscribe: async (filter) => {
      const granted = await client.subscribeAsync(filter, { qos: settings.qos });
      if (granted.some((g) => g.qos === 128)) throw new Error(`broker refused subscription to ${filter} (not authorised?)`);
    },
    publish: (topic, payload) => {
      inflight += 1;
      return new Promise<void>((resolve, reject) => {
        client.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: settings.qos }, (error) => {
          inflight -= 1;
          if (inflight === 0) whenIdle.splice(0).forEach((wake) => wake());
          if (error) reject(error);
          else resolve();
        });
      });
    },
    pending: () => inflight,
    close: async (flushMs = 5000) => {
      closing = true;
      if (inflight > 0 && client.connected) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          whenIdle.push(resolve);
          timer = setTimeout(resolve, flushMs);
        });
        clearTimeout(timer);
      }
      if (inflight > 0) log.warn('disconnecting with unacknowledged publishes', { pending: inflight });
      await client.endAsync(true);
      connected$.next(false);
      connected$.complete();
      messages.complete();
    },
  };
}
