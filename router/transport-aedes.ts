// The router's transport to the broker in its own process
// (`galactic router --embedded-broker`): router/transport.ts's contract
// without a TCP connection to itself, so neither side encodes, parses or
// acknowledges the router's own packets (with 1,000 workers that was half of
// the process's work).
//
// - Inbound: an Aedes subscription. A delivery's callback is held until the
//   router has settled the message; at most `window` messages are in the
//   router at once. The rest wait, still held, and each waiting message's
//   sender is paused (Aedes reads no more from it), so a worker cannot run
//   ahead of the router. Aedes disconnects a worker paused for 1.5 keepalive
//   intervals (the router stalled, e.g. its store away); the worker
//   reconnects and sends again what the broker had not read (and so not
//   acknowledged). Aedes acknowledges a message to its sender before it
//   delivers it, as it does for a router connected over TCP; what a crash of
//   this process loses, anti-entropy repairs.
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
  const senders = new PausedSenders(aedes);
  // Deliveries held back while the window is full, in arrival order; each keeps its sender paused.
  const waiting: Array<{ packet: AedesPublishPacket; callback: () => void; unpause: () => void }> = [];

  const take = (packet: AedesPublishPacket, callback: () => void): void => {
    unsettled += 1;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      unsettled -= 1;
      // The held ones first: the callback may make Aedes deliver more at once.
      const taken: Array<() => void> = [];
      while (!closing && waiting.length > 0 && unsettled < window) {
        const next = waiting.shift()!;
        take(next.packet, next.callback);
        taken.push(next.unpause);
      }
      callback();
      // After the callback: a sender resumed before it would be read twice (on resume and on the callback).
      for (const unpause of taken) unpause();
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
    else waiting.push({ packet, callback, unpause: senders.pause(packet) });
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
      for (const held of waiting.splice(0)) {
        held.callback();
        held.unpause();
      }
      connected$.next(false);
      connected$.complete();
      messages.complete();
    },
  };
}

/** Aedes's client, with the flow control it has but does not declare in its types. */
interface PausableClient {
  pause(): void;
  resume(): void;
}

/**
 * Senders with deliveries waiting for the window, paused until none is left
 * waiting. Aedes alone does not stop reading from a client whose publish is
 * still being delivered (every `readable` event reads on), so without this
 * the router would hold everything the workers send: 9,772 of 10,000
 * registrations at once in bench/router.ts, against about one per worker.
 */
class PausedSenders {
  private readonly waiting = new Map<PausableClient, number>();

  constructor(private readonly aedes: Aedes) {}

  /** Pauses the packet's sender until the returned function has been called (once per pause). */
  pause(packet: AedesPublishPacket): () => void {
    // Aedes 1.2, undeclared: a client's publish carries its id, and `clients` maps ids to connected clients.
    const { clientId } = packet as { clientId?: string };
    const sender = clientId === undefined ? undefined : (this.aedes as unknown as { clients: Record<string, PausableClient | undefined> }).clients[clientId];
    if (!sender) return () => {};
    const count = this.waiting.get(sender) ?? 0;
    this.waiting.set(sender, count + 1);
    if (count === 0) sender.pause();
    return () => {
      const left = this.waiting.get(sender)! - 1;
      if (left > 0) return void this.waiting.set(sender, left);
      this.waiting.delete(sender);
      sender.resume();
    };
  }
}
