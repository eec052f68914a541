// `galactic broker`: the embedded Aedes MQTT broker on its own, with optional
// per-worker access control from a credentials file or Kubernetes tokens.
import { createLogger } from '../lib/log.js';
import { listenForShutdown } from '../lib/shutdown.js';
import { type CommandSpec, integerOption, type OptionSpec, parseOptions, stringOption, switchOption, UsageError } from '../lib/options.js';
import { loadKubeConfig } from '../controllers/kube.js';
import { type Authenticator, credentialsAuthenticator, hashPassword, loadCredentials, startBroker } from './broker.js';
import { DEFAULT_TOKEN_AUDIENCE, KUBERNETES_ROUTER_CLIENT_ID, kubernetesAuthenticator, tokenReviewer } from './broker-kubernetes.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './validation.js';

const defaulted = <T>(spec: OptionSpec<T>): OptionSpec<T> & { default: T } => spec as OptionSpec<T> & { default: T };

export const command = {
  name: 'broker',
  summary: 'Embedded MQTT 3.1.1 broker (Aedes) with per-worker access control',
  description: `
An MQTT 3.1.1 broker for development and small deployments. Without
--credentials it accepts anonymous clients (development only). With a
credentials file (YAML or JSON: users: [{username, password, role}], role
router or worker, passwords hashed with --hash-password) every client must
log in; a worker may publish only to <base><username>/send and subscribe only
to <base><username>/receive, the router may use <base>+/send and publish to
any <base><worker>/receive; a client id must be the username or start with
<username>- (e.g. router and router-out, node1), and failed logins are
answered ever more slowly. With --kubernetes-auth the password is instead a
service account token (projected, audience --token-audience) checked by the
API server: a token of --agent-service-account bound to a pod is the worker
named after the pod's node (client id: the node name), a token of
--router-service-account is the router (client id ${KUBERNETES_ROUTER_CLIENT_ID}); the
broker's own service account needs create on tokenreviews (deploy/broker/).
Retained messages and packets over
--max-message-bytes disconnect their client. The Mosquitto equivalent is in
hack/mosquitto/.
--hash-password reads a password on standard input and prints its hash.`,
  options: {
    port: defaulted(integerOption({ flag: 'port', env: 'BROKER_PORT', min: 0, max: 65535, placeholder: 'PORT', default: 1883, description: 'TCP port to listen on' })),
    host: defaulted(stringOption({ flag: 'host', env: 'BROKER_HOST', placeholder: 'ADDRESS', default: '::', description: 'Address to listen on (:: is every IPv6 and IPv4 address)' })),
    credentials: stringOption({ flag: 'credentials', env: 'BROKER_CREDENTIALS', placeholder: 'FILE', description: 'Users, passwords and roles; without it the broker is anonymous' }),
    maxMessageBytes: defaulted(integerOption({ flag: 'max-message-bytes', env: 'MQTT_MAX_MESSAGE_BYTES', min: 1024, placeholder: 'BYTES', default: DEFAULT_MAX_MESSAGE_BYTES, description: 'Largest MQTT packet accepted; a larger one disconnects its client' })),
    topicBase: defaulted(stringOption({ flag: 'mqtt-topic-base', env: 'MQTT_TOPIC_BASE', default: 'galactic/', description: 'Topic prefix the access rules apply to' })),
    kubernetesAuth: switchOption({ flag: 'kubernetes-auth', env: 'BROKER_KUBERNETES_AUTH', description: 'Log clients in with Kubernetes service account tokens (TokenReview) instead of a credentials file' }),
    kubeconfig: stringOption({ flag: 'kubeconfig', env: 'KUBECONFIG', placeholder: 'FILE', description: 'With --kubernetes-auth: the API server to ask (default: in-cluster)' }),
    tokenAudience: defaulted(stringOption({ flag: 'token-audience', env: 'BROKER_TOKEN_AUDIENCE', default: DEFAULT_TOKEN_AUDIENCE, description: 'With --kubernetes-auth: the audience tokens must carry' })),
    agentServiceAccount: defaulted(stringOption({ flag: 'agent-service-account', env: 'BROKER_AGENT_SERVICE_ACCOUNT', placeholder: 'NS/NAME', default: 'galactic-system/galactic-agent', description: "With --kubernetes-auth: the agents' service account" })),
    routerServiceAccount: defaulted(stringOption({ flag: 'router-service-account', env: 'BROKER_ROUTER_SERVICE_ACCOUNT', placeholder: 'NS/NAME', default: 'galactic-system/galactic-router', description: "With --kubernetes-auth: the router's service account" })),
    hashPassword: switchOption({ flag: 'hash-password', description: 'Print the hash of the password given on standard input, for the credentials file, and exit' }),
  },
} satisfies CommandSpec<Record<string, OptionSpec<unknown>>>;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(command, argv);
  if (options.hashPassword) {
    const password = await readStdin();
    if (password === '') throw new UsageError('--hash-password: no password on standard input');
    process.stdout.write(`${await hashPassword(password)}\n`);
    return 0;
  }
  const logger = createLogger('broker');
  const shutdown = listenForShutdown(logger);
  const authenticator = chooseAuthenticator(options);
  const broker = await startBroker({ port: options.port, host: options.host, maxMessageBytes: options.maxMessageBytes, topicBase: options.topicBase, logger, ...(authenticator ? { authenticator } : {}) });
  await shutdown.requested;
  await broker.close();
  return 0;
}

function chooseAuthenticator(options: ReturnType<typeof parseOptions<typeof command.options>>): Authenticator | undefined {
  if (options.kubernetesAuth && options.credentials !== undefined) throw new UsageError('--credentials and --kubernetes-auth exclude each other: choose one way to log clients in');
  try {
    if (options.credentials !== undefined) return credentialsAuthenticator(loadCredentials(options.credentials));
    if (!options.kubernetesAuth) return undefined;
    return kubernetesAuthenticator({
      review: tokenReviewer(loadKubeConfig(options.kubeconfig)),
      audience: options.tokenAudience,
      agentServiceAccount: options.agentServiceAccount,
      routerServiceAccount: options.routerServiceAccount,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
