// Address management for pool attachments (issue 9) against a real
// kube-apiserver with kube-controller-manager (garbage collector, StatefulSet
// controller): pods admitted through the shipped webhook configuration get
// addresses and endpoint identifiers held by VPCAddress/VPCEndpoint objects.
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';
import { mapLimit } from '../context.js';
import { loadKubeConfig } from '../kube.js';
import type { OperatorHandle } from '../main.js';
import type { Reservation, VpcAttachment } from '../model.js';
import { KubectlError, REPO, type TestCluster, repoPath, registerWebhooks, startTestCluster, startTestOperator, waitFor, webhookCertFiles } from '../testing.js';

const ATTACHMENT = 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment';
const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
const NS = 'default';
const GV = 'galactic.datumapis.com/v1alpha';

type NetworkEntry = { name: string; interface?: string; ips?: string[]; 'cni-args'?: { vpcattachment?: string } };
const networksOf = (pod: V1Pod): NetworkEntry[] => JSON.parse(pod.metadata?.annotations?.[NETWORKS] ?? '[]') as NetworkEntry[];

const vpc = (name: string, networks: string[]) => ({ apiVersion: GV, kind: 'VPC', metadata: { name, namespace: NS }, spec: { networks } });
const poolAttachment = (name: string, vpcName: string, pools: string[]) => ({
  apiVersion: GV,
  kind: 'VPCAttachment',
  metadata: { name, namespace: NS },
  spec: { vpc: { name: vpcName }, interface: { ipam: { pools } } },
});
const podSpec = { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] };

describe('address pools on a real API server with garbage collection', function () {
  this.timeout(300_000);
  let cluster: TestCluster;
  let operator: OperatorHandle | undefined;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let custom: CustomObjectsApi;

  const apply = (...objects: object[]) => cluster.kubectlIn(objects.map((o) => stringify(o)).join('---\n'), 'apply', '-f', '-');
  // Through the client, not kubectl: the waits below list thousands of objects every second.
  const reservations = async (plural: 'vpcaddresses' | 'vpcendpoints') =>
    ((await custom.listNamespacedCustomObject({ group: 'galactic.datumapis.com', version: 'v1alpha', namespace: NS, plural })) as { items: Reservation[] }).items;
  const attachment = (name: string) => cluster.getJson<VpcAttachment>('vpcattachment', name, '-n', NS);
  const createPod = (generateName: string, attachmentName: string) =>
    core.createNamespacedPod({ namespace: NS, body: { metadata: { generateName, annotations: { [ATTACHMENT]: attachmentName } }, spec: podSpec } });
  const rejection = async (attachmentName: string): Promise<string> => {
    try {
      await createPod('rejected-', attachmentName);
    } catch (error) {
      return String((error as { body?: unknown }).body ?? error);
    }
    throw new Error('the pod was admitted');
  };
  const startOperatorWithWebhook = async (reservationGraceMs?: number) => {
    operator = await startTestOperator(cluster, {
      webhook: { host: '127.0.0.1', port: 0, ...(await webhookCertFiles(cluster)) },
      ...(reservationGraceMs ? { reservationGraceMs } : {}),
    });
    await registerWebhooks(cluster, operator.webhookPort!);
  };

  before(async () => {
    cluster = await startTestCluster({ controllers: ['garbagecollector', 'namespace', 'statefulset', 'deployment', 'replicaset'] });
    const config = loadKubeConfig(cluster.api.kubeconfigPath);
    core = config.makeApiClient(CoreV1Api);
    apps = config.makeApiClient(AppsV1Api);
    custom = config.makeApiClient(CustomObjectsApi);
    await startOperatorWithWebhook();
    // Two VPCs with identical networks and pools, a tiny pool, a pool outside its VPC.
    const networks = ['198.51.100.0/24', '203.0.113.0/24', '2001:db8:a::/64'];
    const pools = ['198.51.100.0/24', '203.0.113.0/24', '2001:db8:a::/118'];
    await apply(
      vpc('vpc-a', networks),
      vpc('vpc-b', networks),
      vpc('vpc-c', ['192.0.2.0/24']),
      poolAttachment('pool-a', 'vpc-a', pools),
      poolAttachment('pool-b', 'vpc-b', pools),
      poolAttachment('tiny', 'vpc-c', ['192.0.2.0/30']),
      poolAttachment('outside', 'vpc-c', ['198.51.100.0/24']),
    );
    await waitFor(
      async () => (await Promise.all(['pool-a', 'pool-b', 'tiny'].map(attachment))).every((a) => a.status?.ready),
      { what: 'the pool attachments to become ready', timeoutMs: 60_000 },
    );
  });
  after(async () => {
    await operator?.stop();
    await cluster?.stop();
  });

  it('refuses an attachment with both addresses and pools, naming the fields', async () => {
    const both = poolAttachment('both', 'vpc-a', ['198.51.100.0/24']);
    (both.spec.interface as Record<string, unknown>).addresses = ['198.51.100.1/24'];
    const error = await apply(both).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(KubectlError);
    expect((error as KubectlError).stderr).to.contain('give exactly one of addresses').and.contain('ipam.pools');
  });

  it('reports a pool outside every network of its VPC', async () => {
    await waitFor(async () => (await attachment('outside')).status?.conditions?.some((c) => c.reason === 'PoolOutsideVPC'), {
      what: 'the PoolOutsideVPC condition',
      timeoutMs: 30_000,
    });
    const condition = (await attachment('outside')).status!.conditions!.find((c) => c.type === 'Ready')!;
    expect(condition.message).to.equal('pool 198.51.100.0/24 outside every network of VPC default/vpc-c (192.0.2.0/24)');
  });

  it('rejects a pod when the pool is exhausted, naming the pool and how many addresses are held', async () => {
    const admitted = await Promise.all([createPod('tiny-', 'tiny'), createPod('tiny-', 'tiny')]);
    const ips = admitted.map((pod) => networksOf(pod)[0]!.ips![0]).sort();
    expect(ips).to.deep.equal(['192.0.2.1/30', '192.0.2.2/30']);
    const message = await rejection('tiny');
    expect(message).to.contain('pool 192.0.2.0/30 of VPCAttachment default/tiny is exhausted: 2 of 2 addresses held');
    await waitFor(async () => {
      const [usage, ...more] = (await attachment('tiny')).status?.pools ?? [];
      return more.length === 0 && usage?.pool === '192.0.2.0/30' && usage.allocated === 2 && usage.free === 0;
    }, {
      what: 'the attachment status to count the pool',
      timeoutMs: 30_000,
    });
  });

  it('gives a StatefulSet pod its address and endpoint identifier back when it is recreated', async () => {
    await apps.createNamespacedStatefulSet({
      namespace: NS,
      body: {
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          replicas: 1,
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' }, annotations: { [ATTACHMENT]: 'pool-a' } }, spec: podSpec },
        },
      },
    });
    const pod = () => core.readNamespacedPod({ namespace: NS, name: 'db-0' }).catch(() => undefined);
    await waitFor(pod, { what: 'the StatefulSet controller to create db-0', timeoutMs: 60_000 });
    const first = (await pod())!;
    const before = networksOf(first)[0]!;
    expect(before.ips).to.have.length(2);
    await core.deleteNamespacedPod({ namespace: NS, name: 'db-0' });
    await waitFor(async () => {
      const again = await pod();
      return again && again.metadata?.uid !== first.metadata?.uid;
    }, { what: 'db-0 to be recreated', timeoutMs: 60_000 });
    const after = networksOf((await pod())!)[0]!;
    expect(after.ips).to.deep.equal(before.ips);
    expect(after['cni-args']).to.deep.equal(before['cni-args']);
    const held = (await reservations('vpcaddresses')).filter((r) => r.spec.pod === 'db-0');
    expect(held.map((r) => r.metadata.ownerReferences?.[0]?.kind)).to.deep.equal(['StatefulSet', 'StatefulSet']);

    const status = execFileSync(process.execPath, ['bin/galactic.mjs', 'status', '--kubeconfig', cluster.api.kubeconfigPath], { cwd: REPO, encoding: 'utf8' });
    const row = status.split('\n').find((line) => line.startsWith('default/db-0 '));
    expect(row, status).to.contain('default/pool-a').and.contain(before.ips!.join(' ')).and.contain('198.51.100.0/24 ');
  });

  it("gives the sample Deployment's six replicas their own addresses beside the seed's fixed ones", async () => {
    await cluster.kubectl('apply', '-f', repoPath('samples'), '-f', repoPath('samples', 'ipam', 'attachment.yaml'));
    await waitFor(async () => (await attachment('web')).status?.ready, { what: 'the web attachment to become ready', timeoutMs: 30_000 });
    await cluster.kubectl('apply', '-f', repoPath('samples', 'ipam', 'deployment.yaml'));
    const replicas = await waitFor(
      async () => {
        const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items;
        return pods.length === 6 && pods;
      },
      { what: 'the six replicas', timeoutMs: 60_000 },
    );
    const addresses = replicas.flatMap((pod) => networksOf(pod)[0]!.ips!);
    expect(new Set(addresses).size).to.equal(12);
    const fixed = ['10.1.1.1/24', '10.1.1.2/24', '10.1.1.3/24', '2001:10:1:1::1/64', '2001:10:1:1::2/64', '2001:10:1:1::3/64'];
    expect(addresses.filter((address) => fixed.includes(address))).to.deep.equal([]);
    expect(new Set(replicas.map((pod) => networksOf(pod)[0]!['cni-args']!.vpcattachment)).size).to.equal(6);
  });

  it('frees a reservation whose pod was never created (admission passed, creation failed)', async () => {
    await operator!.stop();
    await startOperatorWithWebhook(1_000);
    try {
      const vpcHex = (await cluster.getJson<{ status: { identifier: string } }>('vpc', 'vpc-a', '-n', NS)).status.identifier;
      const name = `${vpcHex}-4-198-51-100-254`;
      await custom.createNamespacedCustomObject({
        group: 'galactic.datumapis.com',
        version: 'v1alpha',
        namespace: NS,
        plural: 'vpcaddresses',
        body: {
          apiVersion: GV,
          kind: 'VPCAddress',
          metadata: { name, labels: { 'galactic.datumapis.com/claim': 'nobody' } },
          spec: { vpc: { name: 'vpc-a', identifier: vpcHex }, attachment: 'pool-a', endpoint: '0001', address: '198.51.100.254/24', claim: 'nobody' },
        },
      });
      await waitFor(async () => !(await reservations('vpcaddresses')).some((r) => r.metadata.name === name), {
        what: 'the operator to free the unclaimed reservation',
        timeoutMs: 30_000,
      });
    } finally {
      await operator!.stop();
      await startOperatorWithWebhook();
    }
  });

  it('allocates 500 pods of one template and 100 of another VPC with identical pools concurrently, without duplicates; garbage collection frees them', async () => {
    const requests = [...Array.from({ length: 500 }, () => 'pool-a'), ...Array.from({ length: 100 }, () => 'pool-b')];
    const results = await mapLimit(requests, 32, (name) => createPod(`${name}-`, name));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed, String(failed[0] && (failed[0] as PromiseRejectedResult).reason)).to.have.length(0);
    const pods = results.map((r) => (r as PromiseFulfilledResult<V1Pod>).value);

    const byVpc = new Map<string, { addresses: string[]; endpoints: string[] }>();
    for (const pod of pods) {
      const [entry] = networksOf(pod);
      const vpcName = entry!.name === 'pool-a' ? 'vpc-a' : 'vpc-b';
      const seen = byVpc.get(vpcName) ?? { addresses: [], endpoints: [] };
      seen.addresses.push(...entry!.ips!);
      seen.endpoints.push(entry!['cni-args']!.vpcattachment!);
      byVpc.set(vpcName, seen);
    }
    for (const [vpcName, seen] of byVpc) {
      expect(new Set(seen.addresses).size, `${vpcName} addresses`).to.equal(seen.addresses.length);
      expect(new Set(seen.endpoints).size, `${vpcName} endpoints`).to.equal(seen.endpoints.length);
    }
    const a = byVpc.get('vpc-a')!;
    const b = byVpc.get('vpc-b')!;
    expect(a.addresses).to.have.length(1000);
    expect(b.addresses.filter((address) => a.addresses.includes(address)), 'addresses held in both VPCs').to.not.be.empty;

    // Every pod's reservations end up owned by the pod (bound after creation).
    const uids = new Set(pods.map((pod) => pod.metadata!.uid!));
    await waitFor(
      async () => {
        const owned = [...(await reservations('vpcaddresses')), ...(await reservations('vpcendpoints'))].filter((r) =>
          uids.has(r.metadata.ownerReferences?.[0]?.uid ?? ''),
        );
        return owned.length === pods.length * 3;
      },
      { what: 'every reservation to be owned by its pod', timeoutMs: 120_000, intervalMs: 1000 },
    );

    // Without the operator, only garbage collection can free them.
    await operator!.stop();
    operator = undefined;
    await mapLimit(pods, 64, (pod) => core.deleteNamespacedPod({ namespace: NS, name: pod.metadata!.name! }));
    await waitFor(
      async () => {
        const left = [...(await reservations('vpcaddresses')), ...(await reservations('vpcendpoints'))];
        return left.every((r) => !uids.has(r.metadata.ownerReferences?.[0]?.uid ?? ''));
      },
      { what: 'garbage collection to delete the reservations of the deleted pods', timeoutMs: 180_000, intervalMs: 1000 },
    );
  });
});
