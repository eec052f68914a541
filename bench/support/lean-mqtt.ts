// A minimal MQTT 3.1.1 client for benchmarks that run many clients on the
// machine they measure: connect (clean session), subscribe, QoS 1 publish
// resolved at its PUBACK, every QoS 1 delivery acknowledged, and the packets
// a broker gets from mqtt.js (the same keepalive, each acknowledgement in a
// write of its own), so the broker's work is what agents cause. Packets are
// mqtt-packet's, as in mqtt.js and Aedes; what it leaves out (reconnects,
// stores, QoS 2) is what made 1,000 mqtt.js clients take a third of the CPU
// of bench/router.ts, CPU the clients of a real deployment spend on their
// own machines.
import { connect, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

/** mqtt.js's default. */
const KEEPALIVE_SECONDS = 60;

export class LeanMqttClient {
  private readonly parser = mqttPacket.parser({ protocolVersion: 4 });
  /** Waiting for a CONNACK, SUBACK or PUBACK, by packet id (0: the CONNACK). */
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private readonly pinger: NodeJS.Timeout;

  private constructor(
    private readonly socket: Socket,
    private readonly onMessage: (topic: string, payload: Buffer) => void,
  ) {
    socket.setNoDelay(true);
    this.pinger = setInterval(() => this.send({ cmd: 'pingreq' }), (KEEPALIVE_SECONDS * 1000) / 2).unref();
    this.parser.on('packet', (packet) => this.received(packet));
    this.parser.on('error', (error: Error) => socket.destroy(error));
    socket.on('data', (chunk) => this.parser.parse(chunk));
    socket.on('close', () => {
      clearInterval(this.pinger);
      for (const waiter of this.waiting.values()) waiter.reject(new Error('connection closed'));
      this.waiting.clear();
    });
  }

  static async connect(port: number, clientId: string, onMessage: (topic: string, payload: Buffer) => void = () => undefined): Promise<LeanMqttClient> {
    const socket = connect(port, '127.0.0.1');
    const client = new LeanMqttClient(socket, onMessage);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      client.waiting.set(0, { resolve, reject });
      client.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: KEEPALIVE_SECONDS });
    });
    return client;
  }

  subscribe(topic: string): Promise<void> {
    const messageId = this.id();
    return this.await(messageId, () => this.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic, qos: 1 }] }));
  }

  /** QoS 1; resolves at the broker's PUBACK. */
  publish(topic: string, payload: Buffer): Promise<void> {
    const messageId = this.id();
    return this.await(messageId, () => this.send({ cmd: 'publish', messageId, topic, payload, qos: 1, retain: false, dup: false }));
  }

  end(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
    });
  }

  private received(packet: Packet): void {
    switch (packet.cmd) {
      case 'connack':
        return packet.returnCode === 0 ? this.settle(0) : this.settle(0, new Error(`CONNACK return code ${packet.returnCode}`));
      case 'suback':
        return this.settle(packet.messageId!, packet.granted.some((g) => g === 128) ? new Error('subscription refused') : undefined);
      case 'puback':
        return this.settle(packet.messageId!);
      case 'publish':
        this.onMessage(packet.topic, packet.payload as Buffer);
        if (packet.qos === 1) this.send({ cmd: 'puback', messageId: packet.messageId! });
        return;
      default:
        return;
    }
  }

  private id(): number {
    const id = this.nextId;
    this.nextId = (this.nextId % 65535) + 1;
    return id;
  }

  private await(id: number, send: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      send();
    });
  }

  private settle(id: number, error?: Error): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }

  private send(packet: Packet): void {
    this.socket.write(mqttPacket.generate(packet));
  }
}
