// The embedded MQTT 3.1.1 broker (Aedes), used by `galactic broker` and by
// `galactic router --embedded-broker`. Without credentials it accepts anyone
// (development only). With a credentials file, every client authenticates,
// and access is per role: a worker W may publish only to <base>/W/send and
// subscribe only to <base>/W/receive; the router may publish to any
// <base>/+/receive and subscribe to <base>/+/send. Delivery is checked too,
// so a client that resumes another's persistent session cannot read its mail.
// With credentials a client id belongs to its user (`clientIdBelongsTo`), and
// failed logins are answered ever more slowly per address. Always: no
// retained messages (a stale one would be replayed to the router on every
// subscribe) and no packet over the size limit (refused from its header,
// before its body is buffered).
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import mqttPacket from 'mqtt-packet';
import { parse as parseYaml } from 'yaml';
import type { Logger } from '../lib/log.js';
import { normaliseTopicBase } from './core.js';
import { clip, DEFAULT_MAX_MESSAGE_BYTES } from './validation.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

export type Role = 'router' | 'worker';

/** Who a client is once logged in: for a worker, `username` is its name (<base>/<worker>/send). */
export interface BrokerIdentity {
  username: string;
  role: Role;
}

/** How the broker checks a login; the access rules then follow the identity's role. */
export interface Authenticator {
  /** For the start-up log line. */
  describe: string;
  /** The identity behind a login, or why there is none; rejects only when the check itself fails. */
  authenticate(username: string | undefined, password: string): Promise<BrokerIdentity | { refused: string }>;
  /** Which client ids an identity may use (a session is found by client id: another user's would be taken over). */
  clientIds(identity: BrokerIdentity): { allows(clientId: string): boolean; text: string };
}

export interface BrokerUser extends BrokerIdentity {
  /** `scrypt$N$r$p$<salt base64>$<hash base64>` (see `galactic broker --hash-password`) or, discouraged, plain text. */
  password: string;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

/** The stored form of a password: `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const hash = await scrypt(password, salt, SCRYPT.keylen, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(stored: string, given: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') {
    const a = Buffer.from(stored);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  const [, n, r, p, salt, hash] = parts;
  if (!n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(given, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * Number(n) * Number(r) } as never);
  return timingSafeEqual(expected, actual);
}

/**
 * Reads a credentials file (YAML or JSON):
 *   users:
 *     - {username: router, password: "scrypt$…", role: router}
 *     - {username: node1, password: "scrypt$…"}          # role defaults to worker
 */
export function loadCredentials(path: string): BrokerUser[] {
  const parsed = parseYaml(readFileSync(path, 'utf8')) as { users?: unknown } | null;
  const users = parsed?.users;
  if (!Array.isArray(users)) throw new Error(`credentials file ${path}: expected "users:" with a list of {username, password, role}`);
  const seen = new Set<string>();
  return users.map((entry: unknown, index): BrokerUser => {
    const { username, password, role = 'worker' } = (entry ?? {}) as Record<string, unknown>;
    const where = `credentials file ${path}, users[${index}]`;
    if (typeof username !== 'string' || !/^[^/+#\s]+$/.test(username)) throw new Error(`${where}: username must be a non-empty string without / + # or spaces`);
    if (typeof password !== 'string' || password === '') throw new Error(`${where}: password must be a non-empty string`);
    if (role !== 'router' && role !== 'worker') throw new Error(`${where}: role must be router or worker`);
    if (seen.has(username)) throw new Error(`${where}: duplicate username ${username}`);
    seen.add(username);
    return { username, password, role };
  }).map((user, index, all) => {
    const clash = all.find((other) => other !== user && clientIdBelongsTo(other.username, user.username));
    if (clash) throw new Error(`credentials file ${path}, users[${index}]: username ${user.username} starts with ${clash.username}-, so ${clash.username} could use its client ids; rename one`);
    return user;
  });
}

/**
 * The client id rule: a client id belongs to user U when it is U or starts
 * with `U-` (e.g. node1, node1-agent; router, router-out for the router's
 * second connection). Credentials files refuse usernames that would make this
 * ambiguous (`node` beside `node-1`).
 */
export const clientIdBelongsTo = (username: string, clientId: string): boolean => clientId === username || clientId.startsWith(`${username}-`);

/** Logins from a credentials file (scrypt hashes), with the client id rule above. */
export function credentialsAuthenticator(users: BrokerUser[]): Authenticator {
  const byName = new Map(users.map((u) => [u.username, u]));
  // Successful verifications, so a reconnecting client does not pay for scrypt again.
  const verified = new Map<string, string>();
  return {
    describe: `credentials file (${users.length} users)`,
    async authenticate(username, password) {
      const user = username !== undefined ? byName.get(username) : undefined;
      if (!user) return { refused: 'bad username or password' };
      const fingerprint = createHash('sha256').update(password).digest('hex');
      if (verified.get(user.username) !== fingerprint) {
        if (!(await verifyPassword(user.password, password).catch(() => false))) return { refused: 'bad username or password' };
        verified.set(user.username, fingerprint);
      }
      return { username: user.username, role: user.role };
    },
    clientIds: (identity) => ({ allows: (clientId) => clientIdBelongsTo(identity.username, clientId), text: `${identity.username} or start with ${identity.username}-` }),
  };
}

const segment = (topic: string, base: string, suffix: string): string | undefined => {
  const prefix = `${base}/`;
  if (!topic.startsWith(prefix) || !topic.endsWith(`/${suffix}`)) return undefined;
  const middle = topic.slice(prefix.length, -(suffix.length + 1));
  return middle !== '' && !/[/#]/.test(middle) ? middle : undefined;
};

/** Whether `user` may publish to `topic` (no wildcards in a publish topic). */
export function mayPublish(user: BrokerIdentity, topic: string, topicBase: string): boolean {
  const base = normaliseTopicBase(topicBase);
  if (user.role === 'worker') return topic === `${base}/${user.username}/send`;
  const worker = segment(topic, base, 'receive');
  return worker !== undefined && worker !== '+';
}

/** Whether `user` may subscribe to `filter`. */
export function maySubscribe(user: BrokerIdentity, filter: string, topicBase: string): boolean {
  const base = normaliseTopicBase(topicBase);
  if (user.role === 'worker') return filter === `${base}/${user.username}/receive`;
  return segment(filter, base, 'send') !== undefined;
}

/** Whether a message on `topic` may be delivered to `user`. */
export function mayReceive(user: BrokerIdentity, topic: string, topicBase: string): boolean {
  const base = normaliseTopicBase(topicBase);
  if (user.role === 'worker') return topic === `${base}/${user.username}/receive`;
  const worker = segment(topic, base, 'send');
  return worker !== undefined && worker !== '+';
}

/** `a//b`, `/a`, `a/`: a level that is empty. */
export const emptyLevel = (topic: string): boolean => topic.split('/').some((level) => level === '');

/** Failed logins from one address: the answer waits FAILED_LOGIN_DELAY_MS, doubled per failure, up to MAX_FAILED_LOGIN_DELAY_MS. */
export const FAILED_LOGIN_DELAY_MS = 250;
export const MAX_FAILED_LOGIN_DELAY_MS = 10_000;
/** A failure older than this is forgotten. */
const FAILED_LOGIN_MEMORY_MS = 10 * 60_000;

/** Per-address failed-login counts and the delay owed to the next failure. */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; at: number }>();
  constructor(private readonly clock: () => number = Date.now) {}

  /** Records a failure from `address`; returns how long to wait before answering it. */
  failed(address: string): number {
    const now = this.clock();
    if (this.failures.size > 10_000) for (const [key, f] of this.failures) if (now - f.at > FAILED_LOGIN_MEMORY_MS) this.failures.delete(key);
    const previous = this.failures.get(address);
    const count = previous && now - previous.at < FAILED_LOGIN_MEMORY_MS ? previous.count + 1 : 1;
    this.failures.set(address, { count, at: now });
    return Math.min(MAX_FAILED_LOGIN_DELAY_MS, FAILED_LOGIN_DELAY_MS * 2 ** Math.min(count - 1, 16));
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }
}

export interface BrokerOptions {
  port: number;
  host?: string;
  /** Largest MQTT packet accepted (default 64 KiB); a larger one disconnects its client. */
  maxMessageBytes?: number;
  /** Users of a credentials file; without them or an authenticator, anonymous clients are accepted (development only). */
  users?: BrokerUser[];
  /** How logins are checked, instead of `users` (e.g. Kubernetes tokens: router/broker-kubernetes.ts). */
  authenticator?: Authenticator;
  topicBase: string;
  logger: Logger;
}

export interface RunningBroker {
  port: number;
  aedes: Aedes;
  close(): Promise<void>;
}

function authError(message: string, code: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  // Aedes writes through mqtt-packet too: no cache of all 65,536 packet ids as buffers (~10 MB of heap), as lib/mqtt.ts.
  mqttPacket.writeToStream.cacheNumbers = false;
  const log = options.logger;
  const authenticator = options.authenticator ?? (options.users ? credentialsAuthenticator(options.users) : undefined);
  const identities = new WeakMap<Client, BrokerIdentity>();
  const throttle = new LoginThrottle();
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const aedes = new Aedes({
    // No cap on deliveries in progress: the in-process router (router/transport-aedes.ts) holds its
    // deliveries until handled, and its route publishes must never queue behind them. It pauses
    // the senders of the deliveries it holds, so each has about one read's worth in progress.
    concurrency: 0,
    // Workers may choose their client ids (SPEC §8 mqtt_clientid); allow long ones.
    maxClientsIdLength: 256,
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null); // the broker's own ($SYS) messages
      const user = identities.get(client);
      // Aedes 1.2 disconnects a persistent-session subscriber of <base>/+/send
      // when a message to <base>//send reaches it ("no such packet"), so a topic
      // with an empty level is refused, even without access control.
      const refusal = emptyLevel(packet.topic)
        ? 'topic has an empty level'
        : packet.retain
          ? 'retained messages are not accepted'
          : authenticator && !(user && mayPublish(user, packet.topic, options.topicBase))
          ? 'not authorised'
          : undefined;
      if (refusal === undefined) return done(null);
      log.warn('MQTT publish refused; disconnecting the client', { client: clip(client.id), username: user?.username, topic: clip(packet.topic), reason: refusal });
      done(new Error(`${refusal}: ${clip(packet.topic)}`));
    },
    ...(authenticator
      ? {
          authenticate: (client, username, password, done) => {
            const address = client.conn && 'remoteAddress' in client.conn ? String(client.conn.remoteAddress) : 'unknown';
            const refuse = (reason: string, returnCode: number, answer: string, identity?: string): void => {
              const delayMs = throttle.failed(address);
              log.warn(`MQTT client refused: ${reason}`, { client: clip(client.id), username: clip(username ?? ''), ...(identity !== undefined ? { identity } : {}), address, delayMs });
              setTimeout(() => done(authError(answer, returnCode), false), delayMs);
            };
            const decide = (result: BrokerIdentity | { refused: string }): void => {
              if ('refused' in result) return refuse(result.refused, 4, 'bad username or password');
              const rule = authenticator.clientIds(result);
              // CONNACK 2, identifier rejected; the rule is in router/README.md.
              if (!rule.allows(client.id)) return refuse('client id does not belong to its user', 2, `client id must be ${rule.text}`, result.username);
              throttle.succeeded(address);
              identities.set(client, result);
              done(null, true);
            };
            authenticator.authenticate(username, password?.toString('utf8') ?? '').then(decide, (error: Error) => {
              // The check itself failed (e.g. the API server is away): no penalty, the client retries.
              log.warn('MQTT login could not be checked', { client: clip(client.id), error: clip(error.message) });
              done(authError('server unavailable', 3), false);
            });
          },
          authorizeSubscribe: (client, subscription, done) => {
            const user = identities.get(client);
            if (user && maySubscribe(user, subscription.topic, options.topicBase)) return done(null, subscription);
            log.warn('MQTT subscription refused', { client: client.id, username: user?.username, topic: subscription.topic });
            done(null, null);
          },
          authorizeForward: (client, packet) => {
            const user = identities.get(client);
            return user && mayReceive(user, packet.topic, options.topicBase) ? packet : null;
          },
        }
      : {}),
  });
  await aedes.listen();
  if (!authenticator) log.warn('MQTT broker accepts anonymous clients without access control (development only; use --credentials or --kubernetes-auth)');
  aedes.on('clientError', (client, error) => log.debug('MQTT client error', { client: client.id, error }));
  // No Nagle: MQTT acknowledgements are small packets that should not wait.
  const server: Server = createServer({ noDelay: true }, (socket) => limitPacketSize(aedes.handle(socket), maxBytes, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '::', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info('MQTT broker listening', { host: options.host ?? '::', port, authentication: authenticator?.describe ?? 'anonymous', maxMessageBytes: maxBytes });
  return {
    port,
    aedes,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface PacketParser {
  packet: { length: number; cmd?: string };
  _parseLength(): boolean;
  _emitError(error: Error): void;
}

/**
 * Refuses a packet longer than `maxBytes` as soon as its fixed header (the
 * remaining length) is read, before its body is buffered: the client is
 * disconnected with an error. Aedes has no such option; this wraps the
 * length step of its mqtt-packet parser (tested in router/broker.test.ts).
 */
function limitPacketSize(client: Client, maxBytes: number, log: Logger): void {
  const parser = (client as unknown as { _parser: PacketParser })._parser;
  const parseLength = parser._parseLength.bind(parser);
  parser._parseLength = () => {
    const complete = parseLength();
    if (complete && parser.packet.length > maxBytes) {
      log.warn('MQTT packet over the size limit; disconnecting the client', { client: clip(String(client.id ?? '')), bytes: parser.packet.length, maxMessageBytes: maxBytes });
      parser._emitError(new Error(`packet of ${parser.packet.length} bytes exceeds the limit of ${maxBytes}`));
      return false;
    }
    return complete;
  };
}
