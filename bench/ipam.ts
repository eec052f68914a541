// Address management benchmark (issue 9) against the test API server
// (hack/envtest) with the operator's webhook registered as shipped:
// 1. admission latency with allocation: pods created one at a time from a
//    pool attachment; the webhook's own time per mutation (allocation
//    included) and the whole pod create as the client sees it; median, p99.
// 2. throughput: pods created at once (--concurrency in flight); time until
//    every pod holds its addresses (admitted), and until every reservation
//    is owned by its pod.
//   node --import tsx bench/ipam.ts [--pods 1000] [--concurrency 32] [--target-p99-ms 50]
import { CoreV1Api } from '@kubernetes/client-node';
import { parseArgs } from 'node:util';
import { mapLimit } from '../controllers/context.js';
import { loadKubeConfig } from '../controllers/kube.js';
import type { Reservation, VpcAttachment } from '../controllers/model.js';
import { registerWebhooks, startTestCluster, startTestOperator, waitFor, webhookCertFiles } from '../controllers/testing.js';
import { memoryLogger } from '../lib/log.js';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    'target-p99-ms': { type: 'string', default: '50' },
  },
});
const PODS = Number(values.pods);
const TARGET_P99 = Number(values['target-p99-ms']);
const GV = 'galactic.datumapis.com/v1alpha';
const log = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)! };
};
const fmt = ({ median, p99, max }: ReturnType<typeof summary>) => `median ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`;

const cluster = await startTestCluster();
try {
  const webhookLog = memoryLogger('operator');
  const operator = await startTestOperator(cluster, { logger: webhookLog, webhook: { host: '127.0.0.1', port: 0, ...(await webhookCertFiles(cluster)) } });
  await registerWebhooks(cluster, operator.webhookPort!);
  const core = loadKubeConfig(cluster.api.kubeconfigPath).makeApiClient(CoreV1Api);
  // Two namespaces, one pool attachment each; the pools hold 2 × PODS addresses per family.
  const prefix = Math.max(8, 32 - Math.ceil(Math.log2(2 * PODS + 2)));
  for (const ns of ['latency', 'burst']) {
    await cluster.kubectl('create', 'namespace', ns);
    await cluster.kubectlIn(
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: GV, kind: 'VPC', metadata: { name: 'vpc', namespace: ns }, spec: { networks: ['10.0.0.0/8', '2001:db8::/32'] } },
        { apiVersion: GV, kind: 'VPCAttachment', metadata: { name: 'web', namespace: ns }, spec: { vpc: { name: 'vpc' }, interface: { ipam: { pools: [`10.0.0.0/${prefix}`, '2001:db8:1::/64'] } } } },
      ] }),
      'apply', '-f', '-',
    );
  }
  await waitFor(
    async () => (await Promise.all(['latency', 'burst'].map((ns) => cluster.getJson<VpcAttachment>('vpcattachment', 'web', '-n', ns)))).every((a) => a.status?.ready),
    { what: 'the pool attachments to become ready', timeoutMs: 60_000 },
  );
  const createPod = (namespace: string) =>
    core.createNamespacedPod({
      namespace,
      body: {
        metadata: { generateName: 'web-', annotations: { 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment': 'web' } },
        spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
      },
    });

  log(`1. admission latency: ${PODS} pods created one at a time`);
  const client: number[] = [];
  for (let i = 0; i < PODS; i++) {
    const started = performance.now();
    await createPod('latency');
    client.push(performance.now() - started);
  }
  const webhook = webhookLog.lines.filter((line) => line.msg === 'pod mutation' && line.patched).map((line) => Number(line.ms));
  const webhookStats = summary(webhook);
  log(`   webhook (lookup + allocation + patch): ${fmt(webhookStats)} over ${webhook.length} mutations`);
  log(`   pod create as the client sees it: ${fmt(summary(client))}`);

  log(`2. ${PODS} pods created at once (${values.concurrency} in flight)`);
  const started = performance.now();
  const pods = await mapLimit(Array.from({ length: PODS }), Number(values.concurrency), () => createPod('burst'));
  const admitted = (performance.now() - started) / 1000;
  const failed = pods.filter((p) => p.status === 'rejected').length;
  log(`   all admitted with addresses in ${admitted.toFixed(1)} s (${(PODS / admitted).toFixed(0)} pods/s), ${failed} failed`);
  const owned = async () => {
    const list = (kind: string) => cluster.getJson<{ items: Reservation[] }>(kind, '-n', 'burst').then((l) => l.items);
    const all = [...(await list('vpcaddresses')), ...(await list('vpcendpoints'))];
    return all.length === PODS * 3 && all.every((r) => r.metadata.ownerReferences?.[0]?.kind === 'Pod');
  };
  await waitFor(owned, { what: 'every reservation to be owned by its pod', timeoutMs: 600_000, intervalMs: 500 });
  log(`   every reservation owned by its pod after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await operator.stop();
  const ok = failed === 0 && webhookStats.p99 < TARGET_P99;
  log(`${ok ? 'PASS' : 'FAIL'} (target: webhook p99 < ${TARGET_P99} ms on a quiet machine)`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await cluster.stop();
}
