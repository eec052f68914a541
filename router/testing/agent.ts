// Test support: a fake agent, a plain MQTT client speaking remote.v1 on
// <base>/<worker>/send and <base>/<worker>/receive, that keeps the routes it
// was sent and the table they add up to.
import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from '../../lib/wait.js';
import { decodeMessage, encodeMessage, type Message, type RouteMessage } from '../../proto/remote.js';

export interface FakeAgentOptions {
  base?: string;
  username?: string;
  password?: string;
  clientId?: string;
}

export class FakeAgent {
  readonly received: Message[] = [];
  /** Payloads that were not a remote.v1.Envelope. */
  readonly undecodable: Buffer[] = [];
  /** `${srv6Endpoint} ${network}` → segments, after applying every ADD and DELETE. */
  readonly table = new Map<string, string>();

  private constructor(
    readonly worker: string,
    readonly client: MqttClient,
    private readonly base: string,
  ) {
    client.on('message', (_topic, payload) => {
      let message: Message;
      try {
        message = decodeMessage(payload);
      } catch {
        this.undecodable.push(payload);
        return;
      }
      this.received.push(message);
      if (message.kind !== 'route') return;
      const key = `${message.srv6Endpoint} ${message.network}`;
      if (message.status === 'ADD') this.table.set(key, message.srv6Segments.join(','));
      else this.table.delete(key);
    });
  }

  static async connect(url: string, worker: string, options: FakeAgentOptions = {}): Promise<FakeAgent> {
    const base = (options.base ?? 'galactic/').replace(/\/+$/, '');
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      // `<worker>-…`: the client id rule of `galactic broker` (router/broker.ts clientIdBelongsTo).
      clientId: options.clientId ?? `${worker}-fake-${Math.random().toString(16).slice(2, 8)}`,
      ...(options.username !== undefined ? { username: options.username, password: options.password ?? '' } : {}),
    });
    const agent = new FakeAgent(worker, client, base);
    // mqtt.js rejects a refused (0x80) subscription; older versions resolve with qos 128.
    const granted = await client.subscribeAsync(`${base}/${worker}/receive`, { qos: 1 }).catch(async (error: Error) => {
      await client.endAsync(true);
      throw new Error(`subscription of ${worker} refused: ${error.message}`);
    });
    if (granted.some((g) => g.qos === 128)) throw new Error(`subscription of ${worker} refused`);
    return agent;
  }

  get routes(): RouteMessage[] {
    return this.received.filter((m): m is RouteMessage => m.kind === 'route');
  }

  /** Publishes raw bytes to a topic (default: this worker's send topic). */
  async publishRaw(payload: Uint8Array, topic = `${this.base}/${this.worker}/send`): Promise<void> {
    await this.client.publishAsync(topic, Buffer.from(payload), { qos: 1 });
  }

  send(message: Message, topic?: string): Promise<void> {
    return this.publishRaw(encodeMessage(message), topic);
  }

  register(network: string, srv6Endpoint: string): Promise<void> {
    return this.send({ kind: 'register', network, srv6Endpoint });
  }

  deregister(network: string, srv6Endpoint: string): Promise<void> {
    return this.send({ kind: 'deregister', network, srv6Endpoint });
  }

  async waitForRoutes(count: number, timeoutMs = 10_000): Promise<RouteMessage[]> {
    await waitFor(() => this.routes.length >= count, { what: `${this.worker} to receive ${count} routes (has ${this.routes.length})`, timeoutMs });
    return this.routes;
  }

  /** Sorted table rows `endpoint network → segments`, for comparisons. */
  rows(): string[] {
    return [...this.table].map(([key, segments]) => `${key} → ${segments}`).sort();
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
