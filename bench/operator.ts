// Operator benchmark: 1,000 VPCAttachments across 100 VPCs created at once
// against the test API server (hack/envtest); prints the time until every VPC
// and attachment is ready and the API requests the operator issued.
//   node --import tsx bench/operator.ts [--vpcs 100] [--attachments-per-vpc 10] [--target-seconds 60]
import { CustomObjectsApi } from '@kubernetes/client-node';
import { parseArgs } from 'node:util';
import { mapLimit } from '../controllers/context.js';
import { counterTotal } from '../controllers/metrics.js';
import { loadKubeConfig } from '../controllers/kube.js';
import type { Vpc, VpcAttachment } from '../controllers/model.js';
import { startTestCluster, startTestOperator } from '../controllers/testing.js';

const { values } = parseArgs({
  options: {
    vpcs: { type: 'string', default: '100' },
    'attachments-per-vpc': { type: 'string', default: '10' },
    'target-seconds': { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '32' },
  },
});
const VPCS = Number(values.vpcs);
const PER_VPC = Number(values['attachments-per-vpc']);
const TARGET_S = Number(values['target-seconds']);
const NS = 'bench';
const GROUP = { group: 'galactic.datumapis.com', version: 'v1alpha' };

/** The API server's own request count and busy time per verb and resource, from its /metrics. */
async function apiServerStats(kubectl: (...args: string[]) => Promise<string>): Promise<{ requests: number; seconds: Map<string, number> }> {
  const text = await kubectl('get', '--raw', '/metrics');
  let requests = 0;
  const seconds = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('apiserver_request_total{')) requests += Number(line.split(' ').pop());
    if (line.startsWith('apiserver_request_duration_seconds_sum{')) {
      const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(line)?.[1] ?? '';
      if (label('verb') === 'WATCH') continue;
      const key = `${label('verb')} ${label('resource')}${label('subresource') ? `/${label('subresource')}` : ''}`;
      seconds.set(key, (seconds.get(key) ?? 0) + Number(line.split(' ').pop()));
    }
  }
  return { requests, seconds };
}

const cluster = await startTestCluster();
const log = (line: string) => process.stdout.write(`${line}\n`);
try {
  await cluster.kubectl('create', 'namespace', NS);
  const api = loadKubeConfig(cluster.api.kubeconfigPath).makeApiClient(CustomObjectsApi);
  const operator = await startTestOperator(cluster);

  const vpcs = Array.from({ length: VPCS }, (_, i) => ({
    apiVersion: 'galactic.datumapis.com/v1alpha',
    kind: 'VPC',
    metadata: { name: `vpc-${i}`, namespace: NS },
    spec: { networks: [`10.${i >> 8}.${i & 255}.0/24`, `2001:db8:${i.toString(16)}::/64`] },
  }));
  const attachments = vpcs.flatMap((vpc, i) =>
    Array.from({ length: PER_VPC }, (_, j) => ({
      apiVersion: 'galactic.datumapis.com/v1alpha',
      kind: 'VPCAttachment',
      metadata: { name: `vpc-${i}-att-${j}`, namespace: NS },
      spec: {
        vpc: { name: vpc.metadata.name },
        interface: { addresses: [`10.${i >> 8}.${i & 255}.${j + 1}/24`, `2001:db8:${i.toString(16)}::${(j + 1).toString(16)}/64`] },
        routes: [
          { destination: `192.168.${j}.0/24`, via: `10.${i >> 8}.${i & 255}.${j + 1}` },
          { destination: '172.16.0.0/12', via: `10.${i >> 8}.${i & 255}.254` },
        ],
      },
    })),
  );

  const apiBefore = await apiServerStats(cluster.kubectl);
  const requestsBefore = await counterTotal(operator.metrics.requests);
  log(`creating ${vpcs.length} VPCs and ${attachments.length} VPCAttachments at once (${values.concurrency} in flight)`);
  const started = performance.now();
  await mapLimit([...vpcs, ...attachments], Number(values.concurrency), (body) =>
    api.createNamespacedCustomObject({ ...GROUP, namespace: NS, plural: body.kind === 'VPC' ? 'vpcs' : 'vpcattachments', body }),
  );
  const created = performance.now();
  log(`created in ${((created - started) / 1000).toFixed(1)} s; waiting for readiness`);

  // The operator's stores see every status write: poll them, not the API server,
  // so the measurement adds no requests of its own.
  const deadline = started + 10 * TARGET_S * 1000;
  let readyAt = 0;
  for (;;) {
    const context = operator.controllers()?.context;
    const readyVpcs = context?.vpcs.list().filter((v: Vpc) => v.metadata.namespace === NS && v.status?.ready).length ?? 0;
    const readyAttachments = context?.attachments.list().filter((a: VpcAttachment) => a.metadata.namespace === NS && a.status?.ready).length ?? 0;
    if (readyVpcs === vpcs.length && readyAttachments === attachments.length) {
      readyAt = performance.now();
      break;
    }
    if (performance.now() > deadline) throw new Error(`gave up: ${readyVpcs}/${vpcs.length} VPCs and ${readyAttachments}/${attachments.length} attachments ready`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (readyAt - started) / 1000;

  // Confirm from the API server itself.
  const listed = (await api.listNamespacedCustomObject({ ...GROUP, namespace: NS, plural: 'vpcattachments' })) as { items: VpcAttachment[] };
  const notReady = listed.items.filter((a) => !a.status?.ready).length;
  const perVpc = new Map<string, Set<string | undefined>>();
  for (const a of listed.items) perVpc.set(a.spec.vpc.name, (perVpc.get(a.spec.vpc.name) ?? new Set()).add(a.status?.identifier));
  const duplicates = [...perVpc.values()].reduce((sum, ids) => sum + (PER_VPC - ids.size), 0);
  const nads = (await api.listNamespacedCustomObject({ group: 'k8s.cni.cncf.io', version: 'v1', namespace: NS, plural: 'network-attachment-definitions' })) as { items: unknown[] };
  const requests = (await counterTotal(operator.metrics.requests)) - requestsBefore;
  const byVerb = new Map<string, number>();
  for (const value of (await operator.metrics.requests.get()).values) {
    const verb = String(value.labels.verb);
    byVerb.set(verb, (byVerb.get(verb) ?? 0) + value.value);
  }
  const apiAfter = await apiServerStats(cluster.kubectl);
  await operator.stop();

  log(`all ${vpcs.length} VPCs and ${attachments.length} attachments ready in ${seconds.toFixed(1)} s (target < ${TARGET_S} s)`);
  log(`API server: ${listed.items.length} attachments listed, ${notReady} not ready, ${duplicates} duplicate identifiers; ${nads.items.length} NetworkAttachmentDefinitions`);
  log(`operator API requests: ${requests} (${[...byVerb].map(([verb, n]) => `${verb} ${n}`).join(', ')})`);
  log(`API server requests in total during the run (incl. the ${vpcs.length + attachments.length} creates): ${apiAfter.requests - apiBefore.requests}`);
  const busy = [...apiAfter.seconds]
    .map(([key, total]) => [key, total - (apiBefore.seconds.get(key) ?? 0)] as const)
    .filter(([, total]) => total > 0.05)
    .sort((a, b) => b[1] - a[1]);
  log(`API server time by request (s): ${busy.map(([key, total]) => `${key} ${total.toFixed(1)}`).join(', ')}`);
  const ok = seconds < TARGET_S && notReady === 0 && duplicates === 0 && nads.items.length === attachments.length;
  log(ok ? 'PASS' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  await cluster.stop();
}
