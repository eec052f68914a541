// kubectl apply -f samples/ against a real API server: the VPC and the three
// attachments become ready, the NADs hold exactly the SPEC §3 configs, and the
// identifiers survive an operator restart untouched.
import { expect } from 'chai';
import { toBase62 } from '../../lib/identifiers.js';
import { counterTotal } from '../metrics.js';
import type { NetworkAttachmentDefinition, Vpc, VpcAttachment } from '../model.js';
import type { OperatorHandle } from '../main.js';
import { type TestCluster, repoPath, startTestCluster, startTestOperator, waitFor } from '../testing.js';

type List<T> = { items: T[] };
const NAMES = ['vpcattachment-sjc', 'vpcattachment-iad', 'vpcattachment-ams'];
const b62 = (hex: string) => toBase62(BigInt(`0x${hex}`));

/** The NAD configs the samples must produce, written out by hand from SPEC §3. */
function expectedConfigs(vpcId: string, ids: Record<string, string>): Record<string, string> {
  const plugin = (name: string, terminations: object[], addresses: string[], routes: object[]) =>
    JSON.stringify({
      cniVersion: '1.0.0',
      name: `default-${name}`,
      plugins: [
        {
          type: 'galactic',
          vpc: b62(vpcId),
          vpcattachment: b62(ids[name]!),
          mtu: 1372,
          terminations,
          ipam: { type: 'static', addresses: addresses.map((address) => ({ address })), routes },
        },
      ],
    });
  const own = [{ network: '10.1.1.0/24' }, { network: '2001:10:1:1::/64' }];
  return {
    'vpcattachment-sjc': plugin(
      'vpcattachment-sjc',
      [...own, { network: '192.168.1.0/24', via: '10.1.1.1' }, { network: '2001:1::/64', via: '2001:10:1:1::1' }],
      ['10.1.1.1/24', '2001:10:1:1::1/64'],
      [
        { dst: '192.168.2.0/24', gw: '10.1.1.3' },
        { dst: '2001:2::/64', gw: '2001:10:1:1::3' },
      ],
    ),
    'vpcattachment-iad': plugin('vpcattachment-iad', own, ['10.1.1.2/24', '2001:10:1:1::2/64'], []),
    'vpcattachment-ams': plugin(
      'vpcattachment-ams',
      [...own, { network: '192.168.2.0/24', via: '10.1.1.3' }, { network: '2001:2::/64', via: '2001:10:1:1::3' }],
      ['10.1.1.3/24', '2001:10:1:1::3/64'],
      [
        { dst: '192.168.1.0/24', gw: '10.1.1.1' },
        { dst: '2001:1::/64', gw: '2001:10:1:1::1' },
      ],
    ),
  };
}

describe('operator on a real API server: samples/', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let operator: OperatorHandle | undefined;

  const snapshot = async () => {
    const vpc = await cluster.getJson<Vpc>('vpc', 'vpc-sample', '-n', 'default');
    const attachments = (await cluster.getJson<List<VpcAttachment>>('vpcattachments', '-n', 'default')).items;
    const nads = (await cluster.getJson<List<NetworkAttachmentDefinition>>('network-attachment-definitions', '-n', 'default')).items;
    return { vpc, attachments, nads };
  };
  const allReady = async () => {
    const state = await snapshot();
    const ready = state.vpc.status?.ready && state.attachments.length === 3 && state.attachments.every((a) => a.status?.ready);
    return ready && state.nads.length === 3 ? state : undefined;
  };

  before(async () => {
    cluster = await startTestCluster();
  });
  after(async () => {
    await operator?.stop();
    await cluster?.stop();
  });

  it('makes the VPC and the three attachments ready, with NAD configs exactly as SPEC §3', async () => {
    operator = await startTestOperator(cluster);
    await cluster.kubectl('apply', '-f', repoPath('samples'));
    const state = await waitFor(allReady, { what: 'the samples to become ready', timeoutMs: 30_000 });

    const vpcId = state.vpc.status!.identifier!;
    expect(vpcId).to.match(/^[0-9a-f]{12}$/);
    expect(state.vpc.status!.conditions).to.deep.include.members([
      { type: 'Ready', status: 'True', reason: 'IdentifierAssigned', message: `identifier ${vpcId}`, observedGeneration: 1, lastTransitionTime: state.vpc.status!.conditions![0]!.lastTransitionTime },
    ]);
    const ids = Object.fromEntries(state.attachments.map((a) => [a.metadata.name, a.status!.identifier!]));
    for (const id of Object.values(ids)) expect(id).to.match(/^[0-9a-f]{4}$/);
    expect(new Set(Object.values(ids)).size, 'attachment identifiers are unique in the VPC').to.equal(3);
    for (const attachment of state.attachments) {
      expect(attachment.status!.conditions!.find((c) => c.type === 'Ready')).to.include({ status: 'True', reason: 'Provisioned', observedGeneration: 1 });
    }

    const expected = expectedConfigs(vpcId, ids);
    for (const name of NAMES) {
      const nad = state.nads.find((n) => n.metadata.name === name)!;
      expect(nad, name).to.not.equal(undefined);
      expect(JSON.parse(nad.spec.config), name).to.deep.equal(JSON.parse(expected[name]!));
      expect(nad.spec.config, `${name} byte for byte`).to.equal(expected[name]);
      const attachment = state.attachments.find((a) => a.metadata.name === name)!;
      expect(nad.metadata.ownerReferences).to.deep.equal([
        { apiVersion: 'galactic.datumapis.com/v1alpha', kind: 'VPCAttachment', name, uid: attachment.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
  });

  it('keeps every identifier and writes nothing after an operator restart', async () => {
    const before = await snapshot();
    await operator!.stop();
    operator = await startTestOperator(cluster, { identity: 'restarted' });
    // Wait until the new operator has looked at every object at least once.
    const passes = operator.metrics.passes;
    await waitFor(async () => (await counterTotal(passes)) >= 4 && operator!.controllers()?.queues.attachments.depth === 0, {
      what: 'the restarted operator to reconcile every object',
      timeoutMs: 20_000,
    });
    await operator.controllers()!.queues.attachments.idle();
    await operator.controllers()!.queues.vpcs.idle();
    const after = await snapshot();
    expect(after.vpc.status!.identifier).to.equal(before.vpc.status!.identifier);
    expect(after.vpc.metadata.resourceVersion).to.equal(before.vpc.metadata.resourceVersion);
    for (const attachment of after.attachments) {
      const old = before.attachments.find((a) => a.metadata.name === attachment.metadata.name)!;
      expect(attachment.status!.identifier).to.equal(old.status!.identifier);
      expect(attachment.metadata.resourceVersion, 'no status rewrite').to.equal(old.metadata.resourceVersion);
    }
    expect(after.nads.map((n) => n.metadata.resourceVersion)).to.deep.equal(before.nads.map((n) => n.metadata.resourceVersion));
    const { values } = await operator.metrics.requests.get();
    const writes = values.filter((v) => ['create', 'update', 'patch', 'delete'].includes(String(v.labels.verb)));
    expect(writes.reduce((sum, v) => sum + v.value, 0), 'API writes by the restarted operator').to.equal(0);
  });
});
