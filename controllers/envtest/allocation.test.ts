// Identifier allocation against a real API server: unique under a burst, and
// safe when another writer assigns an identifier between the operator's live
// list and its write (the write's resourceVersion precondition conflicts, the
// pass retries, and the identifier already assigned is kept).
import { expect } from 'chai';
import { stringify } from 'yaml';
import { ATTACHMENTS } from '../context.js';
import { type Kube, isConflict } from '../kube.js';
import type { OperatorHandle } from '../main.js';
import type { VpcAttachment } from '../model.js';
import { type TestCluster, startTestCluster, startTestOperator, waitFor } from '../testing.js';

const NS = 'alloc';
const vpc = (name: string, network: string) => ({
  apiVersion: 'galactic.datumapis.com/v1alpha',
  kind: 'VPC',
  metadata: { name, namespace: NS },
  spec: { networks: [network] },
});
const attachment = (name: string, vpcName: string, address: string) => ({
  apiVersion: 'galactic.datumapis.com/v1alpha',
  kind: 'VPCAttachment',
  metadata: { name, namespace: NS },
  spec: { vpc: { name: vpcName }, interface: { addresses: [address] } },
});

describe('identifier allocation on a real API server', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let operator: OperatorHandle | undefined;
  const list = async () => (await cluster.getJson<{ items: VpcAttachment[] }>('vpcattachments', '-n', NS)).items;

  before(async () => {
    cluster = await startTestCluster();
    await cluster.kubectl('create', 'namespace', NS);
  });
  afterEach(async () => {
    await operator?.stop();
    operator = undefined;
  });
  after(async () => cluster?.stop());

  it('gives every attachment of a burst an identifier unique in its VPC', async () => {
    operator = await startTestOperator(cluster);
    const objects = [vpc('a', '10.10.0.0/16'), vpc('b', '10.20.0.0/16')];
    for (let i = 0; i < 60; i++) objects.push(attachment(`burst-${i}`, i % 2 ? 'a' : 'b', `10.${i % 2 ? 10 : 20}.0.${i + 1}/16`) as never);
    await cluster.kubectlIn(objects.map((o) => stringify(o)).join('---\n'), 'apply', '-f', '-');
    const items = await waitFor(
      async () => {
        const all = await list();
        return all.length === 60 && all.every((a) => a.status?.ready) ? all : undefined;
      },
      { what: '60 attachments to become ready', timeoutMs: 60_000 },
    );
    for (const vpcName of ['a', 'b']) {
      const ids = items.filter((a) => a.spec.vpc.name === vpcName).map((a) => a.status!.identifier);
      expect(new Set(ids).size, `identifiers in VPC ${vpcName}`).to.equal(30);
    }
  });

  it('keeps an identifier another writer assigned between the live list and the write', async () => {
    let interfered = false;
    const conflicts: string[] = [];
    // After the operator's allocation list, a rival writer (an old leader, say)
    // assigns "beef" to the attachment: the operator's list is now stale.
    const interpose = (kube: Kube): Kube => ({
      ...kube,
      list: async <T>(...args: Parameters<Kube['list']>) => {
        const result = await kube.list<T>(...args);
        const contested = (result.items as VpcAttachment[]).find((a) => a.metadata.name === 'contested');
        if (args[0].plural === ATTACHMENTS.plural && contested && !contested.status?.identifier && !interfered) {
          interfered = true;
          await cluster.kubectl('patch', 'vpcattachment', 'contested', '-n', NS, '--subresource=status', '--type=merge', '-p', '{"status":{"identifier":"beef","ready":false}}');
        }
        return result;
      },
      patchStatus: async <T>(...args: Parameters<Kube['patchStatus']>) => {
        try {
          return await kube.patchStatus<T>(...args);
        } catch (error) {
          if (isConflict(error)) conflicts.push(args[2]);
          throw error;
        }
      },
    });
    operator = await startTestOperator(cluster, { interpose, identity: 'interposed' });
    await cluster.kubectlIn(stringify(vpc('c', '10.30.0.0/16')) + '---\n' + stringify(attachment('contested', 'c', '10.30.0.1/16')), 'apply', '-f', '-');
    const ready = await waitFor(
      async () => {
        const item = (await list()).find((a) => a.metadata.name === 'contested');
        return item?.status?.ready ? item : undefined;
      },
      { what: 'the contested attachment to become ready', timeoutMs: 30_000 },
    );
    expect(interfered, 'the rival wrote between list and write').to.equal(true);
    expect(conflicts, 'the stale write conflicted').to.include('contested');
    expect(ready.status!.identifier, 'the identifier already assigned is kept').to.equal('beef');
    const nad = await cluster.getJson<{ spec: { config: string } }>('network-attachment-definition', 'contested', '-n', NS);
    expect(JSON.parse(nad.spec.config).plugins[0].vpcattachment).to.equal('cIn'); // 0xbeef = 48879 in base62
  });
});
