// A TCP proxy between MQTT clients and a broker that understands MQTT framing
// and loses or duplicates whole PUBLISH packets, in both directions, at given
// rates: the faults a control plane must survive (issue 8). Other packets
// (CONNECT, SUBSCRIBE, acknowledgements, pings) pass untouched, so sessions
// stay up and only messages go missing or arrive twice. Loopback only.
import { type AddressInfo, type Server, type Socket, createConnection, createServer } from 'node:net';

export interface FaultRates {
  /** Share of PUBLISH packets dropped (0..1). */
  drop: number;
  /** Share of PUBLISH packets sent twice, the copy flagged DUP (0..1). */
  duplicate: number;
}

export interface FaultStats {
  publishes: number;
  dropped: number;
  duplicated: number;
}

const PUBLISH = 3;

/**
 * Splits a byte stream into MQTT packets (fixed header: type and flags, then
 * the remaining length as a base-128 varint of at most 4 bytes).
 */
export class MqttFramer {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const packets: Buffer[] = [];
    for (;;) {
      const length = MqttFramer.packetLength(this.buffered);
      if (length === undefined || this.buffered.length < length) return packets;
      packets.push(this.buffered.subarray(0, length));
      this.buffered = this.buffered.subarray(length);
    }
  }

  /** The topic of a complete PUBLISH packet (after the fixed header: a 2-byte length and the name). */
  static publishTopic(packet: Buffer): string {
    let offset = 1;
    while ((packet[offset]! & 0x80) !== 0) offset++;
    const length = packet.readUInt16BE(offset + 1);
    return packet.toString('utf8', offset + 3, offset + 3 + length);
  }

  /** Total length of the packet at the start of `bytes`, once its header is complete. */
  static packetLength(bytes: Buffer): number | undefined {
    let remaining = 0;
    for (let i = 1; i <= 4; i++) {
      if (i >= bytes.length) return undefined;
      const byte = bytes[i]!;
      remaining += (byte & 0x7f) * 128 ** (i - 1);
      if ((byte & 0x80) === 0) return 1 + i + remaining;
    }
    throw new Error('malformed MQTT remaining length');
  }
}

/** Deterministic randomness (mulberry32): the same seed gives the same fault decisions in turn. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export class MqttFaultProxy {
  readonly stats: FaultStats = { publishes: 0, dropped: 0, duplicated: 0 };
  private readonly sockets = new Set<Socket>();
  private affects: ((topic: string) => boolean) | undefined;

  private constructor(
    private readonly server: Server,
    private rates: FaultRates,
    private readonly random: () => number,
  ) {}

  /** Listens on `listen` (default: a free loopback port) and forwards to `target`. */
  static async start(
    target: { host: string; port: number },
    rates: FaultRates,
    random: () => number = Math.random,
    listen: { host: string; port: number } = { host: '127.0.0.1', port: 0 },
  ): Promise<MqttFaultProxy> {
    let proxy: MqttFaultProxy | undefined;
    const server = createServer({ noDelay: true }, (client) => proxy!.connect(client, target));
    proxy = new MqttFaultProxy(server, rates, random);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Changes the fault rates for packets from now on (0, 0: a clean line), optionally only for PUBLISH packets whose topic `affects` accepts. */
  setRates(rates: FaultRates, affects?: (topic: string) => boolean): void {
    this.rates = rates;
    this.affects = affects;
  }

  /** Cuts every connection through the proxy (clients reconnect through it). */
  cutConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cutConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: Socket, target: { host: string; port: number }): void {
    const upstream = createConnection({ ...target, noDelay: true });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on('error', () => socket.destroy());
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  private pipe(from: Socket, to: Socket): void {
    const framer = new MqttFramer();
    from.on('data', (chunk: Buffer) => {
      let packets: Buffer[];
      try {
        packets = framer.push(chunk);
      } catch {
        from.destroy();
        return;
      }
      for (const packet of packets) {
        if (packet[0]! >> 4 !== PUBLISH) {
          to.write(packet);
          continue;
        }
        this.stats.publishes++;
        // A clean line, or a topic the faults leave alone, draws nothing: seeded decisions start where the faults start.
        if (this.rates.drop + this.rates.duplicate === 0 || (this.affects && !this.affects(MqttFramer.publishTopic(packet)))) {
          to.write(packet);
          continue;
        }
        const roll = this.random();
        if (roll < this.rates.drop) {
          this.stats.dropped++;
          continue;
        }
        to.write(packet);
        if (roll < this.rates.drop + this.rates.duplicate) {
          this.stats.duplicated++;
          const copy = Buffer.from(packet);
          // DUP marks a redelivery of a QoS > 0 message; QoS 0 must keep it clear.
          if ((copy[0]! & 0x06) !== 0) copy[0]! |= 0x08;
          to.write(copy);
        }
      }
    });
  }
}
