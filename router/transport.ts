// The router's MQTT transport: two connections with lib/mqtt.ts's settings
// and session rule.
//
// - The inbound connection subscribes and acknowledges a message only after
//   the router has handled it. Up to `window` messages are in the router at
//   once (one being handled, the others waiting for it or for the broker to
//   acknowledge their routes): the router handles the next message while the
//   broker forwards the routes of the previous ones, instead of idling for a
//   round trip per message. Beyond the window mqtt.js reads no further, so
//   memory stays flat however fast registrations come in. PUBACKs go out in
//   the order the messages arrived (MQTT 3.1.1 §4.6), each only on the
//   connection that delivered it: a message whose connection was lost is
//   left to the broker's redelivery, and a router that stops or crashes
//   mid-message gets it again from its persistent session.
// - The outbound connection publishes routes, in call order (so per worker
//   too).
import mqtt, { type MqttClient } from 'mqtt';
import { BehaviorSubject, combineLatest, Observable, Subject } from 'rxjs';
import type { Logger } from '../lib/log.js';
import { clientOptions, type MqttSettings, redactUrl, wantsCleanSession } from '../lib/mqtt.js';

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  /** Delivered from the broker's retained store (a replay, never a live message). */
  retained: boolean;
  /** Acknowledge (QoS 1; sent once every earlier message is settled too) and make room for the next message. */
  ack(): void;
  /** Leave it unacknowledged (the broker redelivers it to the next session) and make room for the next one; for shutdown. */
  release(): void;
}

/** Messages delivered to the router and not yet settled, at most (the default of `connectRouterTransport`). */
export const DEFAULT_INBOUND_WINDOW = 16;

export interface RouterTransport {
  /** Emits messages in arrival order, at most `window` of them unsettled (neither acked nor released). */
  readonly messages$: Observable<InboundMessage>;
  /** true while both connections are up. */
  readonly connected$: BehaviorSubject<boolean>;
  /** Connects (and keeps reconnecting); subscribe to messages$ first. */
  start(): void;
  subscribe(filter: string): Promise<void>;
  /** Queues a publish; resolves when the broker acknowledged it (QoS 1) or it was written (QoS 0). */
  publish(topic: string, payload: Uint8Array): Promise<void>;
  /** Stops taking messages (they stay with the broker), waits up to `flushMs` for pending publishes, disconnects. */
  close(flushMs?: number): Promise<void>;
}

/** Publishes not yet acknowledged, and a wait for there to be none (close). */
export class PendingPublishes {
  private count = 0;
  private readonly idle: Array<() => void> = [];

  get size(): number {
    return this.count;
  }

  /** Counts a publish from `send` until its callback, which settles the promise. */
  track(send: (done: (error?: Error | null) => void) => void): Promise<void> {
    this.count += 1;
    return new Promise<void>((resolve, reject) => {
      send((error) => {
        this.count -= 1;
        if (this.count === 0) for (const wake of this.idle.splice(0)) wake();
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Resolves once none is pending, or after `ms`. */
  async settled(ms: number): Promise<void> {
    if (this.count === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
  }
}

/** The outbound connection's client id: the router's, suffixed. */
export const outboundClientId = (clientId: string): string => `${clientId}-out`;

/** mqtt.js has no manual acknowledgement: its (internal) packet writer sends our PUBACKs. */
type PacketWriter = { _sendPacket(packet: { cmd: 'puback'; messageId: number }): void };

export function connectRouterTransport(settings: MqttSettings, logger: Logger, window = DEFAULT_INBOUND_WINDOW): RouterTransport {
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
  const pending = new PendingPublishes();
  let closing = false;

  // Delivered messages in arrival order until they and every earlier one are settled.
  const unsettled: Array<{ acknowledged: boolean | undefined; finish: (acknowledged: boolean) => void }> = [];
  // mqtt.js callbacks held back while the window is full: calling one lets mqtt.js read the next packet.
  const paused: Array<() => void> = [];
  // With an error, mqtt.js sends no acknowledgement of its own but goes on reading packets.
  const readOn = (callback: (error?: Error) => void) => () => callback(new Error('acknowledged by the router once handled'));
  const flush = (): void => {
    while (unsettled[0] && unsettled[0].acknowledged !== undefined) {
      const entry = unsettled.shift()!;
      entry.finish(entry.acknowledged!);
    }
    while (paused.length > 0 && unsettled.length < window) paused.shift()!();
  };
  inbound.handleMessage = (packet, callback) => {
    if (closing) return callback(new Error('router stopping'));
    const stream = inbound.stream;
    const { messageId } = packet;
    // QoS 2 (delivered at PUBREL): mqtt.js completes the exchange (PUBCOMP) itself once called back,
    // and reads nothing before: such a message is taken alone, as before the window.
    const exactlyOnce = packet.qos === 2;
    const entry = {
      acknowledged: undefined as boolean | undefined,
      finish: (acknowledged: boolean): void => {
        if (exactlyOnce) return callback(acknowledged ? undefined : new Error('router stopping'));
        // Only on the connection that delivered it: on another, the id may name another message.
        if (acknowledged && packet.qos === 1 && messageId !== undefined && inbound.connected && inbound.stream === stream) {
          (inbound as unknown as PacketWriter)._sendPacket({ cmd: 'puback', messageId });
        }
      },
    };
    unsettled.push(entry);
    const settle = (acknowledged: boolean): void => {
      if (entry.acknowledged !== undefined) return;
      entry.acknowledged = acknowledged;
      flush();
    };
    if (!exactlyOnce) {
      if (unsettled.length < window) readOn(callback)();
      else paused.push(readOn(callback));
    }
    messages.next({
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      retained: packet.retain,
      ack: () => settle(true),
      release: () => settle(false),
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
    publish: (topic, payload) =>
      pending.track((done) => outbound.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: settings.qos, retain: false }, done)),
    close: async (flushMs = 5000) => {
      closing = true;
      if (outbound.connected) await pending.settled(flushMs);
      if (pending.size > 0) log.warn('disconnecting with unacknowledged publishes', { pending: pending.size });
      // PUBACKs just sent are corked until the next tick: a forced end would drop them and the broker redeliver those messages.
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all([inbound.endAsync(true), outbound.endAsync(true)]);
      inboundUp.next(false);
      outboundUp.next(false);
      connected$.complete();
      messages.complete();
    },
  };
}
