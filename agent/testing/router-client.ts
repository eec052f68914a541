// Test support: the router's side of the wire, scripted: records what agents
// send on galactic/+/send and publishes chosen messages to one agent.
import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from '../../lib/wait.js';
import { type Message, decodeMessage, encodeMessage } from '../../proto/remote.js';

/** The router's side of the wire: records what agents send, publishes to an agent's receive topic. */
export class ScriptedRouter {
  readonly sent: Message[] = [];
  private constructor(
    private readonly client: MqttClient,
    private readonly receiveTopic: string,
  ) {
    client.on('message', (_topic, payload) => this.sent.push(decodeMessage(payload)));
  }

  /** Connects, recording what every worker sends; publishes to `receiveTopic`. */
  static async connect(url: string, receiveTopic: string): Promise<ScriptedRouter> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 100 });
    await client.subscribeAsync('galactic/+/send', { qos: 1 });
    return new ScriptedRouter(client, receiveTopic);
  }

  of<K extends Message['kind']>(kind: K): Extract<Message, { kind: K }>[] {
    return this.sent.filter((m): m is Extract<Message, { kind: K }> => m.kind === kind);
  }

  async publish(...messages: (Message | Uint8Array)[]): Promise<void> {
    for (const message of messages) {
      await this.client.publishAsync(this.receiveTopic, Buffer.from(message instanceof Uint8Array ? message : encodeMessage(message)), { qos: 1 });
    }
  }

  /** Waits for the agent's next resync request and answers it with these routes. */
  async answerResync(routes: Message[], count = 1): Promise<string> {
    const request = await waitFor(() => this.of('resync')[count - 1], { what: `resync request #${count}` });
    await this.publish(...routes, { kind: 'resyncComplete', requestId: request.requestId, routes: routes.length });
    return request.requestId;
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }
}
