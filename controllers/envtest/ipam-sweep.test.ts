// The reservation sweep (issue 9: "a sweep repairs what collection
// missed"): on an API server with no kube-controller-manager, so nothing
// garbage-collects, a pod's reservations outlive the pod; the operator's
// reservation controller frees them once the owner has been gone for its grace.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { loadKubeConfig } from '../kube.js';
import type { OperatorHandle } from '../main.js';
import type { Reservation, VpcAttachment } from '../model.js';
import { type TestCluster, registerWebhooks, startTestCluster, startTestOperator, waitFor, webhookCertFiles } from '../testing.js';
import { memoryLogger } from '../../lib/log.js';

const NS = 'default';
const GV = 'galactic.datumapis.com/v1alpha';

describe('address pools without garbage collection: the reservation sweep (no kube-controller-manager)', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  let operator: OperatorHandle | undefined;
  const logger = memoryLogger('operator');

  before(async () => {
    cluster = await startTestCluster();
    operator = await startTestOperator(cluster, { logger, reservationGraceMs: 1_000, webhook: { host: '127.0.0.1', port: 0, ...(await webhookCertFiles(cluster)) } });
    await registerWebhooks(cluster, operator.webhookPort!);
    await cluster.kubectlIn(
      [
        { apiVersion: GV, kind: 'VPC', metadata: { name: 'vpc', namespace: NS }, spec: { networks: ['198.51.100.0/24', '2001:db8:b::/64'] } },
        { apiVersion: GV, kind: 'VPCAttachment', metadata: { name: 'web', namespace: NS }, spec: { vpc: { name: 'vpc' }, interface: { ipam: { pools: ['198.51.100.0/24', '2001:db8:b::/64'] } } } },
      ]
        .map((o) => stringify(o))
        .join('---\n'),
      'apply',
      '-f',
      '-',
    );
    await waitFor(async () => (await cluster.getJson<VpcAttachment>('vpcattachment', 'web', '-n', NS)).status?.ready, { what: 'the pool attachment to become ready', timeoutMs: 60_000 });
  });
  after(async () => {
    await operator?.stop();
    await cluster?.stop();
  });

  it("frees a deleted pod's reservations that garbage collection never removed", async () => {
    const config = loadKubeConfig(cluster.api.kubeconfigPath);
    const core = config.makeApiClient(CoreV1Api);
    const custom = config.makeApiClient(CustomObjectsApi);
    const reservations = async () =>
      (
        await Promise.all(
          ['vpcaddresses', 'vpcendpoints'].map(
            async (plural) => ((await custom.listNamespacedCustomObject({ group: 'galactic.datumapis.com', version: 'v1alpha', namespace: NS, plural })) as { items: Reservation[] }).items,
          ),
        )
      ).flat();
    const pod = await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'web-1', annotations: { 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment': 'web' } },
        spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] },
      },
    });
    const ownedByPod = async () => (await reservations()).filter((r) => r.metadata.ownerReferences?.[0]?.uid === pod.metadata!.uid);
    await waitFor(async () => (await ownedByPod()).length === 3, { what: 'the address (both families) and endpoint reservations owned by the pod', timeoutMs: 60_000 });

    // Unscheduled, so the API server deletes it at once; no garbage collector runs here.
    await core.deleteNamespacedPod({ namespace: NS, name: 'web-1' });
    await waitFor(async () => (await ownedByPod()).length === 0, { what: 'the sweep to free the reservations of the deleted pod', timeoutMs: 60_000 });
    expect(logger.lines.filter((l) => String(l.msg).startsWith('freed: its pod is gone'))).to.have.length(3);
  });
});
