// The pod webhook registered with a real API server, using the shipped webhook
// configurations (deploy/operator/webhooks.yaml) pointed at the operator on
// 127.0.0.1 with a certificate from the test CA.
import { expect } from 'chai';
import { stringify } from 'yaml';
import type { OperatorHandle } from '../main.js';
import type { VpcAttachment } from '../model.js';
import { KubectlError, type TestCluster, registerWebhooks, repoPath, startTestCluster, startTestOperator, waitFor, webhookCertFiles } from '../testing.js';

type Pod = { metadata: { name: string; annotations?: Record<string, string> } };
const ATTACHMENT = 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment';
const NETWORKS = 'k8s.v1.cni.cncf.io/networks';

const pod = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations },
  spec: { nodeName: 'sjc', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] },
});

describe('pod admission webhook on a real API server', function () {
  this.timeout(90_000);
  let cluster: TestCluster;
  let operator: OperatorHandle;

  /** Creates an object; resolves with the stored object or rejects with the API server's message. */
  const create = async (object: object): Promise<Pod> => JSON.parse(await cluster.kubectlIn(stringify(object), 'create', '-f', '-', '-o', 'json')) as Pod;
  const rejection = async (object: object): Promise<string> => {
    try {
      await create(object);
    } catch (error) {
      if (error instanceof KubectlError) return error.stderr;
      throw error;
    }
    throw new Error('the pod was admitted');
  };

  before(async () => {
    cluster = await startTestCluster();
    const tls = await webhookCertFiles(cluster);
    operator = await startTestOperator(cluster, { webhook: { host: '127.0.0.1', port: 0, ...tls } });
    await registerWebhooks(cluster, operator.webhookPort!);
    await cluster.kubectl('apply', '-f', repoPath('samples'));
    await waitFor(
      async () => {
        const list = await cluster.getJson<{ items: VpcAttachment[] }>('vpcattachments', '-n', 'default');
        return list.items.length === 3 && list.items.every((a) => a.status?.ready);
      },
      { what: 'the sample attachments to become ready', timeoutMs: 30_000 },
    );
  });
  after(async () => {
    await operator?.stop();
    await cluster?.stop();
  });

  it('stores the sample pods with their Multus annotation', async () => {
    await cluster.kubectl('apply', '-f', repoPath('samples', 'pods'));
    for (const name of ['sjc', 'iad', 'ams']) {
      const stored = await cluster.getJson<Pod>('pod', name, '-n', 'default');
      expect(stored.metadata.annotations?.[NETWORKS], name).to.equal(`vpcattachment-${name}@galactic0`);
    }
  });

  it('keeps networks the pod already lists', async () => {
    const stored = await create(pod('with-networks', { [ATTACHMENT]: 'vpcattachment-iad', [NETWORKS]: 'macvlan-conf' }));
    expect(stored.metadata.annotations?.[NETWORKS]).to.equal('macvlan-conf, vpcattachment-iad@galactic0');
  });

  it('rejects a pod naming a missing attachment, with the message', async () => {
    const message = await rejection(pod('orphan', { [ATTACHMENT]: 'vpcattachment-nowhere' }));
    expect(message).to.contain('admission webhook "pods.validate.galactic.datumapis.com" denied the request');
    expect(message).to.contain(`VPCAttachment default/vpcattachment-nowhere not found (named by the pod's annotation ${ATTACHMENT})`);
  });

  it('rejects a pod whose attachment is not ready, with the reason', async () => {
    await cluster.kubectlIn(
      stringify({
        apiVersion: 'galactic.datumapis.com/v1alpha',
        kind: 'VPCAttachment',
        metadata: { name: 'no-vpc', namespace: 'default' },
        spec: { vpc: { name: 'vpc-absent' }, interface: { addresses: ['10.9.0.1/24'] } },
      }),
      'create',
      '-f',
      '-',
    );
    await waitFor(async () => (await cluster.getJson<VpcAttachment>('vpcattachment', 'no-vpc', '-n', 'default')).status?.conditions, {
      what: 'the attachment to get a condition',
      timeoutMs: 20_000,
    });
    const message = await rejection(pod('early', { [ATTACHMENT]: 'no-vpc' }));
    expect(message).to.contain('VPCAttachment default/no-vpc is not ready (VPCNotFound: VPC default/vpc-absent not found)');
  });

  it('leaves pods without the annotation alone', async () => {
    const stored = await create(pod('plain', {}));
    expect(stored.metadata.annotations ?? {}).to.not.have.property(NETWORKS);
  });
});
