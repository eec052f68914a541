// Test support: the router's side of the wire, scripted: records what agents
// send on galactic/+/send and publishes chosen messages to one agent.
import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from '../../lib/wait.js';
import { routeLine, sameSummary, splitSet, summarise } from '../../lib/anti-entropy.js';
import { type Message, type RouteMessage, type SetSummary, decodeMessage, encodeMessage } from '../../proto/remote.js';

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

  /**
   * Waits for the agent's Summary #`count` and answers it as a router holding
   * `routes` for it (and, unless given, the registrations the agent reported);
   * a route summary that differs is followed by the full RouteSet, as the router does.
   */
  async answerSummary(routes: RouteMessage[], count = 1, registrations?: SetSummary): Promise<string> {
    const summary = await waitFor(() => this.of('summary')[count - 1], { what: `summary #${count}` });
    const desired = summarise(routes.map(routeLine));
    await this.publish({ kind: 'summaryReply', requestId: summary.requestId, registrations: registrations ?? summary.registrations, routes: desired });
    if (!sameSummary(desired, summary.routes)) {
      const parts = splitSet(routes);
      await this.publish(...parts.map((part, index): Message => ({ kind: 'routeSet', requestId: summary.requestId, part: index, parts: parts.length, routes: part })));
    }
    return summary.requestId;
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }
}
