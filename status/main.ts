// `galactic status`: a read-only view of a deployment. From the API server:
// VPCs, attachments and the pods (and nodes) using them. From each agent's
// /state: its SIDs and programmed egress routes. From the router's /state:
// the routes each node should hold, so drift is flagged.
import { CoreV1Api } from '@kubernetes/client-node';
import { ADDRESSES, ATTACHMENTS, ENDPOINTS, VPCS } from '../controllers/context.js';
import { createKube } from '../controllers/kube.js';
import { type Reservation, type Vpc, type VpcAttachment, addressesOf, poolsOf } from '../controllers/model.js';
import { isReady } from '../controllers/status.js';
import { type OptionValues, parseOptions, stringOption } from '../lib/options.js';
import { type AgentState, type RouterRouteState, computeDrift, hasDrift } from './drift.js';

const ATTACHMENT_ANNOTATION = 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment';

const options = {
  kubeconfig: stringOption({ flag: 'kubeconfig', env: 'KUBECONFIG', placeholder: 'FILE', description: 'kubeconfig of the cluster (in a pod: the service account); without either, the Kubernetes part is skipped' }),
  router: stringOption({ flag: 'router', env: 'GALACTIC_ROUTER_URL', placeholder: 'URL', description: "the router's metrics/health endpoint, e.g. http://router:9200" }),
  agents: stringOption({
    flag: 'agents',
    env: 'GALACTIC_AGENT_URLS',
    placeholder: 'NODE=URL,…',
    description: "each node's agent metrics/health endpoint, e.g. sjc=http://10.0.0.1:9100,iad=http://10.0.0.2:9100",
  }),
};

export const command = {
  name: 'status',
  summary: 'Read-only view: VPCs, attachments, pods per node, SIDs and egress routes, drift',
  description: `
Shows what the cluster asked for (VPCs, VPCAttachments and the pods using them,
with their nodes; for pool attachments each pod's endpoint identifier and
addresses, and the pools' usage), what each node's agent has programmed (SIDs and egress
routes, from the agent's /state endpoint), and flags drift between the routes
the router says a node should hold and what the node holds and programmed.
Exits 1 when it finds drift or an unreachable component, 0 otherwise.`,
  options,
};

type Values = OptionValues<typeof options>;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function kubernetesSection(values: Values): Promise<string> {
  const kube = createKube(values.kubeconfig ? { kubeconfigPath: values.kubeconfig } : {});
  const vpcs = (await kube.list<Vpc>(VPCS)).items;
  const attachments = (await kube.list<VpcAttachment>(ATTACHMENTS)).items;
  const addresses = (await kube.list<Reservation>(ADDRESSES)).items;
  const endpoints = (await kube.list<Reservation>(ENDPOINTS)).items;
  const pods = (await kube.config.makeApiClient(CoreV1Api).listPodForAllNamespaces()).items;
  const nodesOf = (attachment: VpcAttachment): string =>
    pods
      .filter((p) => p.metadata?.namespace === attachment.metadata.namespace && p.metadata?.annotations?.[ATTACHMENT_ANNOTATION] === attachment.metadata.name)
      .map((p) => `${p.metadata?.name}@${p.spec?.nodeName ?? 'unscheduled'}`)
      .join(' ');
  return [
    'VPCs',
    table(['namespace/name', 'identifier', 'ready', 'networks'], vpcs.map((v) => [
      `${v.metadata.namespace}/${v.metadata.name}`, v.status?.identifier ?? '-', String(isReady(v.status)), v.spec.networks.join(' '),
    ])),
    '',
    'Attachments',
    table(['namespace/name', 'vpc', 'identifier', 'ready', 'addresses', 'pods@node'], attachments.map((a) => [
      `${a.metadata.namespace}/${a.metadata.name}`, a.spec.vpc.name, a.status?.identifier ?? '-', String(isReady(a.status)), [...addressesOf(a), ...poolsOf(a).map((pool) => `pool:${pool}`)].join(' '), nodesOf(a),
    ])),
    ...(addresses.length + endpoints.length > 0 ? ['', 'Pool reservations (pods of pool attachments)', reservationTable(attachments, addresses, endpoints)] : []),
  ].join('\n');
}

/** One row per pod holding an endpoint identifier: its addresses, node, and the pool usage of its attachment. */
function reservationTable(attachments: VpcAttachment[], addresses: Reservation[], endpoints: Reservation[]): string {
  const usage = (namespace: string | undefined, name: string) =>
    attachments
      .find((a) => a.metadata.namespace === namespace && a.metadata.name === name)
      ?.status?.pools?.map((p) => `${p.pool} ${p.allocated} held, ${p.free} free`)
      .join('; ') ?? '-';
  const rows = endpoints.map((endpoint) => {
    const mine = addresses.filter(
      (a) => a.metadata.namespace === endpoint.metadata.namespace && a.spec.vpc.identifier === endpoint.spec.vpc.identifier && a.spec.endpoint === endpoint.spec.endpoint,
    );
    return [
      `${endpoint.metadata.namespace}/${endpoint.spec.pod || '(admitted, not created yet)'}`,
      `${endpoint.metadata.namespace}/${endpoint.spec.attachment}`,
      endpoint.spec.vpc.name,
      endpoint.spec.endpoint,
      mine.map((a) => a.spec.address).join(' '),
      endpoint.spec.node ?? '-',
      usage(endpoint.metadata.namespace, endpoint.spec.attachment),
    ];
  });
  return table(['pod', 'attachment', 'vpc', 'endpoint', 'addresses', 'node', 'pools'], rows);
}

async function nodeSection(node: string, agentUrl: string, routerUrl: string | undefined): Promise<{ text: string; problems: number }> {
  const state = await fetchJson<AgentState>(`${agentUrl}/state`);
  const lines = [`Node ${node} (worker ${state.worker}, srv6 ${state.srv6Net})`];
  lines.push(table(['SID', 'vpc', 'attachment', 'networks'], state.registrations.map((r) => [r.sid, r.vpc, r.attachment, r.networks.join(' ')])));
  lines.push(table(['table', 'egress network', 'segments'], state.programmed.map((p) => [String(p.table), p.network, p.segments.join(',')])));
  if (!routerUrl) return { text: lines.join('\n'), problems: 0 };
  const expected = await fetchJson<{ routes: RouterRouteState[] }>(`${routerUrl}/state?worker=${encodeURIComponent(state.worker)}`);
  const drift = computeDrift(expected.routes, state);
  if (!hasDrift(drift)) lines.push('drift: none (router, agent and kernel agree)');
  for (const [label, items] of [
    ['router expects, agent lacks', drift.missingAtAgent],
    ['agent holds, router does not expect', drift.staleAtAgent],
    ['agent holds, kernel lacks', drift.notProgrammed],
  ] as const) {
    for (const item of items) lines.push(`DRIFT ${label}: ${item}`);
  }
  return { text: lines.join('\n'), problems: drift.missingAtAgent.length + drift.staleAtAgent.length + drift.notProgrammed.length };
}

function parseAgents(text: string | undefined): Array<[string, string]> {
  if (!text) return [];
  return text.split(',').map((entry) => {
    const [node, url] = entry.split('=');
    if (!node || !url) throw new Error(`--agents entries are NODE=URL, got ${JSON.stringify(entry)}`);
    return [node.trim(), url.trim().replace(/\/$/, '')];
  });
}

export async function run(argv: string[]): Promise<number> {
  const values = parseOptions(command, argv);
  let problems = 0;
  const sections: string[] = [];
  if (values.kubeconfig || process.env.KUBERNETES_SERVICE_HOST) {
    try {
      sections.push(await kubernetesSection(values));
    } catch (error) {
      problems += 1;
      sections.push(`Kubernetes: unavailable (${(error as Error).message})`);
    }
  }
  for (const [node, url] of parseAgents(values.agents)) {
    try {
      const section = await nodeSection(node, url, values.router?.replace(/\/$/, ''));
      problems += section.problems;
      sections.push(section.text);
    } catch (error) {
      problems += 1;
      sections.push(`Node ${node}: agent unavailable at ${url} (${(error as Error).message})`);
    }
  }
  process.stdout.write(`${sections.join('\n\n')}\n`);
  return problems === 0 ? 0 : 1;
}
