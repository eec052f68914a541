// The router's transport to the broker in its own process
// (`galactic router --embedded-broker`): router/transport.ts's contract
// without a TCP connection to itself, so neither side encodes, parses or
// acknowledges the router's own packets (with 1,000 workers that was half of
// the process's work).
//
// - Inbound: an Aedes subscription. Aedes waits for a delivery's callback
//   before it reads further from the worker that sent it; the callback is held
//   until the router has settled the message, so a worker cannot run ahead of
//   the router, and at most `window` messages are in the router at once (the
//   rest wait, still held). Aedes has already acknowledged the message to its
//   sender (it does so before delivering), as it does for a router connected
//   over TCP; what a crash of this process loses, anti-entropy repairs.
// - Outbound: Aedes publishes, in call order; the callback comes once every
//   online subscriber has the route written and every offline session has it
//   queued (what the broker's PUBACK means over TCP).
import type { Aedes, AedesPublishPacket } from 'aedes';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import type { Logger } from '../lib/log.js';
import type { Qos } from '../lib/mqtt.js';
import { DEFAULT_INBOUND_WINDOW, type InboundMessage, PendingPublishes, type RouterTransport } from './transport.js';

export function inProcessTransport(aedes: Aedes, qos: Qos, logger: Logger, window = DEFAULT_INBOUND_WINDOW): RouterTransport {
  const log = logger.child({ broker: 'embedded, in process' });
  const messages = new Subject<InboundMessage>();
  const connected$ = new BehaviorSubject(false);
  const subscribed: string[] = [];
  let unsettled = 0;
  let closing = false;
  const pending = new PendingPublishes();
  // Deliveries held back while the window is full, in arrival order.
  const waiting: Array<{ packet: AedesPublishPacket; callback: () => void }> = [];

  const take = (packet: AedesPublishPacket, callback: () => void): void => {
    unsettled += 1;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      unsettled -= 1;
      // The held ones first: the callback may make Aedes deliver more at once.
      while (!closing && waiting.length > 0 && unsettled < window) {
        const next = waiting.shift()!;
        take(next.packet, next.callback);
      }
      callback();
    };
    messages.next({
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      retained: packet.retain,
      ack: settle,
      release: settle,
    });
  };
  const deliver = (packet: AedesPublishPacket, callback: () => void): void => {
    // Stopping: Aedes (in this process) stops with the router; the sender's next Summary repairs the loss.
    if (closing) return callback();
    if (unsettled < window && waiting.length === 0) take(packet, callback);
    else waiting.push({ packet, callback });
  };

  return {
    messages$: messages.asObservable() as Observable<InboundMessage>,
    connected$,
    start: () => {
      log.info('connected to the MQTT broker in this process');
      connected$.next(true);
    },
    subscribe: async (filter) => {
      if (subscribed.includes(filter)) return;
      await new Promise<void>((resolve) => aedes.subscribe(filter, deliver, resolve));
      subscribed.push(filter);
    },
    publish: (topic, payload) =>
      pending.track((done) =>
        aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), qos, retain: false, dup: false }, done),
      ),
    close: async (flushMs = 5000) => {
      closing = true;
      await pending.settled(flushMs);
      if (pending.size > 0) log.warn('stopping with publishes the broker has not taken', { pending: pending.size });
      for (const filter of subscribed.splice(0)) await new Promise<void>((resolve) => aedes.unsubscribe(filter, deliver, resolve));
      for (const held of waiting.splice(0)) held.callback();
      connected$.next(false);
      connected$.complete();
      messages.complete();
    },
  };
}
