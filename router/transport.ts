// The router's MQTT transport: two connections with lib/mqtt.ts's settings
// and session rule.
//
// - The inbound connection subscribes and acknowledges a message only after
//   the router has handled it: mqtt.js reads the next packet only once
//   `ack()` is called, so messages arrive strictly one at a time, nothing
//   is buffered in the process, and a router that stops or crashes
//   mid-message gets that message again from its persistent session.
// - The outbound connection publishes routes, in call order (so per worker
//   too). Its PUBACKs flow while the inbound one is paused, which lets the
//   router bound the publishes in flight (`drain`) before it takes the next
//   message: memory stays flat however fast registrations come in.
import mqtt, { type MqttClient } from 'mqtt';
import { BehaviorSubject, combineLatest, Observable, Subject } from 'rxjs';
import type { Logger } from '../lib/log.js';
import { clientOptions, type MqttSettings, redactUrl, wantsCleanSession } from '../lib/mqtt.js';

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  /** Delivered from the broker's retained store (a replay, never a live message). */
  retained: boolean;
  /** Acknowledge (QoS 1) and let the next message in. */
  ack(): void;
  /** Leave it unacknowledged (the broker redelivers it to the next session) and let the next one in; for shutdown. */
  release(): void;
}

export interface RouterTransport {
  /** Emits one message at a time; the next comes after the previous one's ack(). */
  readonly messages$: Observable<InboundMessage>;
  /** true while both connections are up. */
  readonly connected$: BehaviorSubject<boolean>;
  /** Connects (and keeps reconnecting); subscribe to messages$ first. */
  start(): void;
  subscribe(filter: string): Promise<void>;
  /** Queues a publish; resolves when the broker acknowledged it (QoS 1) or it was written (QoS 0). */
  publish(topic: string, payload: Uint8Array): Promise<void>;
  /** Publishes not yet acknowledged. */
  pending(): number;
  /** Resolves once fewer than `limit` publishes are unacknowledged. */
  drain(limit: number): Promise<void>;
  /** Stops taking messages (they stay with the broker), waits up to `flushMs` for pending publishes, disconnects. */
  close(flushMs?: number): Promise<void>;
}

/** The outbound connection's client id: the router's, suffixed. */
export const outboundClientId = (clientId: string): string => `${clientId}-out`;

export function connectRouterTransport(settings: MqttSettings, logger: Logger): RouterTransport {
  const log = logger.child({ broker: redactUrl(settings.url) });
  const outboundSettings = { ...settings, ...(settings.clientId ? { clientId: outboundClientId(settings.clientId) } : {}) };
  const client = (s: MqttSettings): MqttClient => mqtt.connect(s.url, { ...clientOptions(s), manualConnect: true });
  const inbound = client(settings);
  const outbound = client(outboundSettings);
  const messages = new Subject<InboundMessage>();
  const inboundUp = new BehaviorSubject(false);
  const outboundUp = new BehaviorSubject(false);
  const connected$ = new BehaviorSubject(false);
  combineLatest([inboundUp, outboundUp]).subscribe(([a, b]) => {
    if (connected$.value !== (a && b)) connected$.next(a && b);
  });
  let inflight = 0;
  let closing = false;
  const waiters: Array<{ limit: number; wake: () => void }> = [];
  const wakeWaiters = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (inflight < waiters[i]!.limit) waiters.splice(i, 1)[0]!.wake();
    }
  };

  inbound.handleMessage = (packet, callback) => {
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
      retained: packet.retain,
      ack: () => settle(),
      release: () => settle(new Error('router stopping')),
    });
  };
  for (const [client, up, role] of [
    [inbound, inboundUp, 'inbound'],
    [outbound, outboundUp, 'outbound'],
  ] as const) {
    client.on('connect', (packet) => {
      // No Nagle: acknowledgements and routes are small packets that should not wait.
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      log.info('connected to MQTT broker', { connection: role, sessionPresent: packet.sessionPresent, clean: client.options.clean });
      up.next(true);
    });
    client.on('close', () => {
      if (up.value && !closing) log.warn('MQTT connection lost; reconnecting', { connection: role });
      if (up.value) up.next(false);
    });
    client.on('error', (error) => log.warn('MQTT error', { connection: role, error }));
  }
  log.debug('MQTT sessions', { inboundClean: wantsCleanSession(settings), outboundClean: wantsCleanSession(outboundSettings) });

  return {
    messages$: messages.asObservable(),
    connected$,
    start: () => {
      outbound.connect();
      inbound.connect();
    },
    subscribe: async (filter) => {
      const granted = await inbound.subscribeAsync(filter, { qos: settings.qos });
      if (granted.some((g) => g.qos === 128)) throw new Error(`broker refused subscription to ${filter} (not authorised?)`);
    },
    publish: (topic, payload) => {
      inflight += 1;
      return new Promise<void>((resolve, reject) => {
        outbound.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: settings.qos, retain: false }, (error) => {
          inflight -= 1;
          wakeWaiters();
          if (error) reject(error);
          else resolve();
        });
      });
    },
    pending: () => inflight,
    drain: (limit) => (inflight < limit ? Promise.resolve() : new Promise<void>((wake) => waiters.push({ limit, wake }))),
    close: async (flushMs = 5000) => {
      closing = true;
      if (inflight > 0 && outbound.connected) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          waiters.push({ limit: 1, wake: resolve });
          timer = setTimeout(resolve, flushMs);
        });
        clearTimeout(timer);
      }
      if (inflight > 0) log.warn('disconnecting with unacknowledged publishes', { pending: inflight });
      await Promise.all([inbound.endAsync(true), outbound.endAsync(true)]);
      inboundUp.next(false);
      outboundUp.next(false);
      connected$.complete();
      messages.complete();
    },
  };
}
