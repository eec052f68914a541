// `galactic agent` options (SPEC §8) and the configuration they make.
import { dirname, join } from 'node:path';
import { antiEntropyIntervalOption } from '../lib/anti-entropy.js';
import { DEFAULT_METRICS_HOST } from '../lib/metrics.js';
import { type MqttSettings, type Qos, mqttIdentity, parseQos } from '../lib/mqtt.js';
import { SRV6_NET_ANNOTATION } from '../lib/kube-nodes.js';
import { type CommandSpec, type OptionSpec, type OptionValues, UsageError, integerOption, stringOption, switchOption } from '../lib/options.js';
import { type Srv6Net, parseSrv6Net } from '../lib/sid.js';

export const DEFAULT_SRV6_NET = 'fc00::/56';

/** Marks an option that has a default, so its parsed value is typed without undefined. */
const defaulted = <T>(spec: OptionSpec<T>): OptionSpec<T> & { default: T } => spec as OptionSpec<T> & { default: T };

export const command = {
  name: 'agent',
  summary: 'Per-node daemon: CNI registrations over gRPC, SRv6 routes in the kernel',
  description: `
Runs on every node (host network, NET_ADMIN). The CNI plugin registers
attachments over gRPC (local.v1.Local) on a unix socket; the agent installs
their ingress SID routes (End.DT46 into the attachment's VRF), announces them
to the router over MQTT and programs the routes the router sends back: seg6
encap through nexthop objects in the VRF's table, proxy neighbours for remote
host routes. A reconcile loop keeps the kernel equal to that state; the agent
only touches routes with its protocol number (201) and nexthops in its id
range (0x47000000-0x47ffffff). Restarting or stopping it leaves the data path
in place. Host prerequisites (SPEC §6) are checked at start; with
--prepare-host the agent first sets up what it can itself.
See agent/README.md.`,
  configFile: true,
  options: {
    srv6Net: stringOption({
      flag: 'srv6-net',
      env: 'SRV6_NET',
      placeholder: 'PREFIX',
      description: `This node's SRv6 prefix (/64 or shorter); SIDs are allocated from it [default: with --node-name, the Node's ${SRV6_NET_ANNOTATION} annotation (waits for it); else ${DEFAULT_SRV6_NET}]`,
    }),
    nodeName: stringOption({ flag: 'node-name', env: 'NODE_NAME', placeholder: 'NAME', description: "This node's Kubernetes name: its srv6_net and the other nodes' prefixes come from the Node objects" }),
    kubeconfig: stringOption({ flag: 'kubeconfig', env: 'KUBECONFIG', placeholder: 'FILE', description: 'kubeconfig for reading Nodes; default: the in-cluster service account' }),
    prepareHost: defaulted(
      switchOption({
        flag: 'prepare-host',
        env: 'PREPARE_HOST',
        default: false,
        description: 'Make this host meet SPEC §6 before checking it: lo-galactic and its address, tunnel source, sysctls, FORWARD, and (with --node-name) underlay routes to the other nodes\' prefixes',
      }),
    ),
    socketPath: defaulted(
      stringOption({ flag: 'socket-path', env: 'SOCKET_PATH', placeholder: 'PATH', default: '/var/run/galactic/agent.sock', description: 'Unix socket of the local.v1.Local gRPC service (mode 0600)' }),
    ),
    mqttUrl: defaulted(stringOption({ flag: 'mqtt-url', env: 'MQTT_URL', placeholder: 'URL', default: 'tcp://mqtt:1883', description: 'MQTT broker' })),
    mqttClientId: stringOption({ flag: 'mqtt-clientid', env: 'MQTT_CLIENTID', placeholder: 'ID', description: 'MQTT client id; with QoS > 0 the session persists across reconnections' }),
    mqttUsername: stringOption({ flag: 'mqtt-username', env: 'MQTT_USERNAME', description: 'MQTT user name' }),
    mqttPassword: stringOption({ flag: 'mqtt-password', env: 'MQTT_PASSWORD', description: 'MQTT password' }),
    mqttPasswordFile: stringOption({ flag: 'mqtt-password-file', env: 'MQTT_PASSWORD_FILE', placeholder: 'FILE', description: 'File with the MQTT password, read at every (re)connect; wins over --mqtt-password (a projected service account token for galactic broker --kubernetes-auth)' }),
    mqttQos: defaulted<Qos>({ flag: 'mqtt-qos', env: 'MQTT_QOS', placeholder: '0|1|2', default: 1, description: 'QoS of subscriptions and publishes', parse: parseQos }),
    mqttTopicReceive: defaulted(
      stringOption({ flag: 'mqtt-topic-receive', env: 'MQTT_TOPIC_RECEIVE', placeholder: 'TOPIC', default: 'galactic/default/receive', description: 'Topic the router sends this node its routes on' }),
    ),
    mqttTopicSend: defaulted(
      stringOption({ flag: 'mqtt-topic-send', env: 'MQTT_TOPIC_SEND', placeholder: 'TOPIC', default: 'galactic/default/send', description: 'Topic this node sends registrations on (galactic/<worker>/send)' }),
    ),
    encapDevice: defaulted(
      stringOption({ flag: 'encap-device', env: 'ENCAP_DEVICE', placeholder: 'LINK', default: 'lo-galactic', description: "Device of the seg6 nexthops: the dummy link holding the node's SRv6 loopback address" }),
    ),
    resyncInterval: defaulted(
      integerOption({ flag: 'resync-interval', env: 'RESYNC_INTERVAL', placeholder: 'SECONDS', min: 1, default: 30, description: 'Seconds between full re-reads of the kernel that repair drift (routes removed or changed by someone else)' }),
    ),
    antiEntropyInterval: antiEntropyIntervalOption(
      'Seconds between anti-entropy summaries to the router (also sent on every reconnect); repairs lost, duplicated or replayed messages',
    ),
    stateFile: stringOption({ flag: 'state-file', env: 'STATE_FILE', placeholder: 'PATH', description: 'Where registrations are kept for a restart [default: agent-state.json next to the socket]' }),
    metricsPort: integerOption({ flag: 'metrics-port', env: 'METRICS_PORT', min: 0, max: 65535, placeholder: 'PORT', description: 'Port of /metrics, /healthz and /readyz (0: any free port); off when unset' }),
    metricsHost: defaulted(stringOption({ flag: 'metrics-host', env: 'METRICS_HOST', placeholder: 'ADDRESS', default: DEFAULT_METRICS_HOST, description: 'Address of /metrics, /healthz and /readyz (0.0.0.0 or :: for every address)' })),
  },
} satisfies CommandSpec<Record<string, OptionSpec<unknown>>>;

export type AgentOptions = OptionValues<typeof command.options>;

export interface AgentConfig {
  srv6Net: Srv6Net;
  /** As configured, for messages. */
  srv6NetText: string;
  socketPath: string;
  stateFile: string;
  mqtt: MqttSettings;
  sendTopic: string;
  receiveTopic: string;
  encapDevice: string;
  resyncIntervalMs: number;
  /** Default lib/anti-entropy.ts DEFAULT_ANTI_ENTROPY_INTERVAL_MS. */
  antiEntropyIntervalMs?: number;
  metrics?: { port: number; host: string };
  /** Network namespace the kernel adapter works in (`ip -n`); tests only, the agent normally runs inside the node's. */
  netns?: string;
}

export function toAgentConfig(options: AgentOptions): AgentConfig {
  const srv6NetText = options.srv6Net ?? DEFAULT_SRV6_NET;
  let srv6Net: Srv6Net;
  try {
    srv6Net = parseSrv6Net(srv6NetText);
  } catch (error) {
    throw new UsageError(`invalid --srv6-net: ${(error as Error).message}`);
  }
  if (!/^[\w.-]{1,15}$/.test(options.encapDevice)) throw new UsageError(`invalid --encap-device ${JSON.stringify(options.encapDevice)}: not a link name`);
  return {
    srv6Net,
    srv6NetText,
    socketPath: options.socketPath,
    stateFile: options.stateFile ?? join(dirname(options.socketPath), 'agent-state.json'),
    mqtt: {
      url: options.mqttUrl,
      qos: options.mqttQos,
      ...mqttIdentity(options),
    },
    sendTopic: options.mqttTopicSend,
    receiveTopic: options.mqttTopicReceive,
    encapDevice: options.encapDevice,
    resyncIntervalMs: options.resyncInterval * 1000,
    antiEntropyIntervalMs: options.antiEntropyInterval * 1000,
    ...(options.metricsPort !== undefined ? { metrics: { port: options.metricsPort, host: options.metricsHost } } : {}),
  };
}
