// MQTT 3.1.1 adapter shared by the router and the agent: connection settings
// per SPEC §8, messages as an Observable, connection state as an Observable
// (so reconcile loops can resync on reconnect), publish with the configured QoS.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import { backoffDelay } from './backoff.js';
import type { Logger } from './log.js';

export type Qos = 0 | 1 | 2;

export interface MqttSettings {
  url: string;
  clientId?: string;
  username?: string;
  password?: string;
  /** Read at every (re)connect, and then wins over `password`: a projected token the kubelet rotates. */
  passwordFile?: string;
  qos: Qos;
  /** First delay between reconnect attempts; it doubles up to 30 s while the broker stays away. */
  reconnectMs?: number;
  /**
   * Forget publishes the broker had not acknowledged when the connection
   * dropped, instead of sending them again after the reconnect (their promises
   * reject). A resent message would arrive after newer ones that got through
   * and undo them; a client whose state is repaired after every reconnect
   * (the agent's anti-entropy) wants this.
   */
  dropUnacknowledgedOnDisconnect?: boolean;
}

export interface MqttMessage {
  topic: string;
  payload: Buffer;
}

export interface MqttConnection {
  readonly messages$: Observable<MqttMessage>;
  /** true while connected; emits on every change. */
  readonly connected$: BehaviorSubject<boolean>;
  subscribe(topic: string): Promise<void>;
  publish(topic: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Client id and credentials from parsed options; absent ones stay absent (no empty client id). */
export function mqttIdentity(options: {
  mqttClientId?: string | undefined;
  mqttUsername?: string | undefined;
  mqttPassword?: string | undefined;
  mqttPasswordFile?: string | undefined;
}): Pick<MqttSettings, 'clientId' | 'username' | 'password' | 'passwordFile'> {
  return {
    ...(options.mqttClientId ? { clientId: options.mqttClientId } : {}),
    ...(options.mqttUsername !== undefined ? { username: options.mqttUsername } : {}),
    ...(options.mqttPassword !== undefined ? { password: options.mqttPassword } : {}),
    ...(options.mqttPasswordFile ? { passwordFile: options.mqttPasswordFile } : {}),
  };
}

/** The password to log in with now: the file's content (trailing newline dropped) when there is one. */
export function currentPassword(settings: Pick<MqttSettings, 'password' | 'passwordFile'>): string | undefined {
  if (!settings.passwordFile) return settings.password;
  try {
    return readFileSync(settings.passwordFile, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`MQTT password file ${settings.passwordFile} (--mqtt-password-file, MQTT_PASSWORD_FILE): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; mount the token there, or unset it to log in with --mqtt-password`);
  }
}

/** An MQTT URL fit for a log line: a password in it replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL the WHATWG parser takes: cut whatever sits between "//user:" and "@".
    return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
  }
}

export function parseQos(text: string): Qos {
  if (text !== '0' && text !== '1' && text !== '2') throw new Error(`MQTT QoS must be 0, 1 or 2, got ${JSON.stringify(text)}`);
  return Number(text) as Qos;
}

/** SPEC §8: a persistent session only when there is a client id and QoS > 0. */
export function wantsCleanSession(settings: Pick<MqttSettings, 'clientId' | 'qos'>): boolean {
  return !settings.clientId || settings.qos === 0;
}

export function clientOptions(settings: MqttSettings): IClientOptions {
  // Without a client id, a random one that still belongs to the user (`<username>-…`, the rule of
  // `galactic broker`; mqtt.js would pick `mqttjs_…`, which a broker enforcing the rule refuses).
  const clientId = settings.clientId || (settings.username ? `${settings.username}-${randomBytes(4).toString('hex')}` : undefined);
  const password = currentPassword(settings);
  return {
    protocolVersion: 4,
    clean: wantsCleanSession(settings),
    reconnectPeriod: settings.reconnectMs ?? 1000,
    connectTimeout: 10_000,
    resubscribe: true,
    // No cache of all 65,536 packet ids as buffers (mqtt-packet's default, ~10 MB of heap); a 2-byte buffer per packet instead.
    writeCache: false,
    // mqtt.js logs every packet through `debug`: skip the calls unless DEBUG asks for them.
    ...(process.env['DEBUG']?.includes('mqttjs') ? {} : { log: () => undefined }),
    ...(clientId ? { clientId } : {}),
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/** Connects (and keeps reconnecting) in the background; never throws for an unreachable broker. */
export function connectMqtt(settings: MqttSettings, logger: Logger): MqttConnection {
  const log = logger.child({ broker: redactUrl(settings.url) });
  const client: MqttClient = mqtt.connect(settings.url, clientOptions(settings));
  const messages = new Subject<MqttMessage>();
  const connected$ = new BehaviorSubject(false);
  // Reconnect with exponential backoff (mqtt.js reads reconnectPeriod before each attempt).
  const firstDelay = settings.reconnectMs ?? 1000;
  let failedAttempts = 0;
  client.on('reconnect', () => {
    failedAttempts += 1;
    if (settings.passwordFile) {
      try {
        client.options.password = currentPassword(settings);
      } catch (error) {
        log.warn('cannot read the MQTT password file; trying the previous password', { file: settings.passwordFile, error });
      }
    }
    client.options.reconnectPeriod = backoffDelay(failedAttempts + 1, { initialMs: firstDelay, maxMs: 30_000 });
  });
  client.on('connect', (packet) => {
    failedAttempts = 0;
    client.options.reconnectPeriod = firstDelay;
    log.info('connected to MQTT broker', { sessionPresent: packet.sessionPresent, clean: wantsCleanSession(settings) });
    connected$.next(true);
  });
  client.on('close', () => {
    if (settings.dropUnacknowledgedOnDisconnect) {
      const unacknowledged = Object.keys(client.outgoing).map(Number);
      for (const messageId of unacknowledged) client.removeOutgoingMessage(messageId);
      if (unacknowledged.length > 0) log.info('dropped publishes unacknowledged at disconnect; anti-entropy resends the current state', { messages: unacknowledged.length });
    }
    if (connected$.value) log.warn('MQTT connection lost; reconnecting');
    if (connected$.value) connected$.next(false);
  });
  client.on('error', (error) => log.warn('MQTT error', { error }));
  client.on('message', (topic, payload) => messages.next({ topic, payload }));
  return {
    messages$: messages.asObservable(),
    connected$,
    subscribe: async (topic) => {
      const granted = await client.subscribeAsync(topic, { qos: settings.qos });
      const refused = granted.filter((g) => g.qos === 128);
      if (refused.length > 0) throw new Error(`broker refused subscription to ${topic} (not authorised?)`);
    },
    publish: async (topic, payload) => {
      await client.publishAsync(topic, Buffer.from(payload), { qos: settings.qos });
    },
    close: async () => {
      await client.endAsync();
      connected$.next(false);
      connected$.complete();
      messages.complete();
    },
  };
}
