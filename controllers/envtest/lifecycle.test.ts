// Changes over an object's life against a real API server: route edits reach
// the NAD, deletions remove it (no garbage collector runs in this test API
// server: the operator itself deletes it), a VPC is not deleted under its
// attachments, and damage done by hand is repaired.
import { expect } from 'chai';
import { stringify } from 'yaml';
import type { OperatorHandle } from '../main.js';
import type { NetworkAttachmentDefinition, Vpc, VpcAttachment } from '../model.js';
import { KubectlError, type TestCluster, startTestCluster, startTestOperator, waitFor } from '../testing.js';

const NS = 'lifecycle';
const vpc = (name: string, networks = ['10.1.1.0/24', '2001:10:1:1::/64']) => ({
  apiVersion: 'galactic.datumapis.com/v1alpha',
  kind: 'VPC',
  metadata: { name, namespace: NS },
  spec: { networks },
});
const attachment = (name: string, vpcName: string, addresses: string[], routes: object[] = []) => ({
  apiVersion: 'galactic.datumapis.com/v1alpha',
  kind: 'VPCAttachment',
  metadata: { name, namespace: NS },
  spec: { vpc: { name: vpcName }, interface: { name: 'galactic0', addresses }, routes },
});

describe('operator on a real API server: object lifecycle', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let operator: OperatorHandle;

  const apply = (object: object) => cluster.kubectlIn(stringify(object), 'apply', '-f', '-');
  const getAttachment = (name: string) => cluster.getJson<VpcAttachment>('vpcattachment', name, '-n', NS);
  const getNad = async (name: string): Promise<NetworkAttachmentDefinition | undefined> => {
    try {
      return await cluster.getJson<NetworkAttachmentDefinition>('network-attachment-definition', name, '-n', NS);
    } catch (error) {
      if (error instanceof KubectlError && error.stderr.includes('NotFound')) return undefined;
      throw error;
    }
  };
  const exists = async (kind: string, name: string) => (await cluster.kubectl('get', kind, '-n', NS, '--ignore-not-found', '-o', 'name')).includes(`/${name}`);
  const readyAttachment = (name: string) =>
    waitFor(async () => ((await getAttachment(name)).status?.ready ? getAttachment(name) : undefined), {
      what: `attachment ${name} to become ready`,
      timeoutMs: 20_000,
    });
  const condition = (object: { status?: { conditions?: Array<{ type: string }> } }, type: string) =>
    object.status?.conditions?.find((c) => c.type === type) as { status: string; reason: string; message: string } | undefined;

  before(async () => {
    cluster = await startTestCluster();
    await cluster.kubectl('create', 'namespace', NS);
    operator = await startTestOperator(cluster, { mtu: 1400, resyncIntervalMs: 1000 });
    await apply(vpc('net'));
  });
  after(async () => {
    await operator?.stop();
    await cluster?.stop();
  });

  it('writes the MTU given to the operator into the NAD', async () => {
    await apply(attachment('mtu', 'net', ['10.1.1.5/24']));
    await readyAttachment('mtu');
    const nad = await getNad('mtu');
    expect(JSON.parse(nad!.spec.config).plugins[0].mtu).to.equal(1400);
  });

  it('updates the NAD when the attachment routes change', async () => {
    await apply(attachment('edit', 'net', ['10.1.1.1/24'], [{ destination: '192.168.1.0/24', via: '10.1.1.1' }]));
    const ready = await readyAttachment('edit');
    await apply(attachment('edit', 'net', ['10.1.1.1/24'], [{ destination: '192.168.1.0/24', via: '10.1.1.1' }, { destination: '172.16.0.0/12', via: '10.1.1.254' }]));
    const config = await waitFor(
      async () => {
        const plugin = JSON.parse((await getNad('edit'))!.spec.config).plugins[0];
        return plugin.ipam.routes.length === 1 ? plugin : undefined;
      },
      { what: 'the NAD to carry the new route', timeoutMs: 20_000 },
    );
    expect(config.ipam.routes).to.deep.equal([{ dst: '172.16.0.0/12', gw: '10.1.1.254' }]);
    expect(config.terminations).to.deep.include({ network: '192.168.1.0/24', via: '10.1.1.1' });
    const after = await waitFor(async () => {
      const current = await getAttachment('edit');
      return current.status?.observedGeneration === 2 ? current : undefined;
    }, { what: 'status to observe generation 2', timeoutMs: 20_000 });
    expect(after.status!.identifier, 'identifier unchanged by the edit').to.equal(ready.status!.identifier);
    expect(after.status!.ready).to.equal(true);
  });

  it('deletes the NAD when the attachment is deleted', async () => {
    await apply(attachment('doomed', 'net', ['10.1.1.2/24']));
    await readyAttachment('doomed');
    expect(await getNad('doomed')).to.not.equal(undefined);
    await cluster.kubectl('delete', 'vpcattachment', 'doomed', '-n', NS);
    await waitFor(async () => !(await exists('network-attachment-definitions', 'doomed')), { what: 'the NAD to be deleted', timeoutMs: 20_000 });
  });

  it('recreates a NAD deleted by hand and reverts a NAD edited by hand', async () => {
    await apply(attachment('repair', 'net', ['10.1.1.3/24']));
    await readyAttachment('repair');
    const original = (await getNad('repair'))!.spec.config;
    await cluster.kubectl('delete', 'network-attachment-definition', 'repair', '-n', NS);
    await waitFor(async () => (await getNad('repair'))?.spec.config === original, { what: 'the NAD to be recreated', timeoutMs: 20_000 });
    await cluster.kubectl('patch', 'network-attachment-definition', 'repair', '-n', NS, '--type=merge', '-p', '{"spec":{"config":"{}"}}');
    await waitFor(async () => (await getNad('repair'))?.spec.config === original, { what: 'the NAD to be reverted', timeoutMs: 20_000 });
  });

  it('repairs on the periodic resync a change whose event it ignores (ownerReference stripped from a NAD)', async () => {
    await apply(attachment('adopted', 'net', ['10.1.1.4/24']));
    const owner = (await readyAttachment('adopted')).metadata.uid;
    // A NAD without a controlling VPCAttachment is not an event the operator acts on:
    // only the resync (every second here) looks at it again.
    await cluster.kubectl('patch', 'network-attachment-definition', 'adopted', '-n', NS, '--type=json', '-p', '[{"op":"remove","path":"/metadata/ownerReferences"}]');
    const repaired = await waitFor(async () => (await getNad('adopted'))?.metadata.ownerReferences?.[0], {
      what: 'the ownerReference to be restored',
      timeoutMs: 20_000,
    });
    expect(repaired).to.include({ kind: 'VPCAttachment', name: 'adopted', uid: owner, controller: true });
  });

  it('refuses a change or removal of an assigned identifier at the API server, and the NAD stays as written', async () => {
    await apply(attachment('fixed', 'net', ['10.1.1.7/24']));
    const ready = await readyAttachment('fixed');
    const vpcBefore = await cluster.getJson<Vpc>('vpc', 'net', '-n', NS);
    const nadBefore = (await getNad('fixed'))!.spec.config;
    const refusal = async (kind: string, name: string, type: string, patch: object): Promise<string> => {
      try {
        await cluster.kubectl('patch', kind, name, '-n', NS, '--subresource', 'status', `--type=${type}`, '-p', JSON.stringify(patch));
      } catch (error) {
        if (error instanceof KubectlError) return error.stderr;
        throw error;
      }
      throw new Error(`the API server accepted ${JSON.stringify(patch)} on ${kind} ${name}`);
    };
    const other = ready.status!.identifier === 'beef' ? 'bee5' : 'beef';
    expect(await refusal('vpcattachment', 'fixed', 'merge', { status: { identifier: other } })).to.contain(
      `status.identifier: Invalid value: "${other}": is immutable once assigned (its SIDs, VRF names and NetworkAttachmentDefinition derive from it); delete and recreate the VPCAttachment to get another`,
    );
    expect(await refusal('vpcattachment', 'fixed', 'json', [{ op: 'remove', path: '/status/identifier' }])).to.contain(
      'status.identifier: Invalid value: cannot be removed once assigned',
    );
    expect(await refusal('vpcattachment', 'fixed', 'json', [{ op: 'remove', path: '/status' }])).to.contain('status.identifier: Invalid value: cannot be removed once assigned');
    expect(await refusal('vpc', 'net', 'merge', { status: { identifier: '00000000beef' } })).to.contain(
      'status.identifier: Invalid value: "00000000beef": is immutable once assigned (the SIDs, VRF names and NetworkAttachmentDefinitions of its attachments derive from it); delete and recreate the VPC to get another',
    );
    expect(await refusal('vpc', 'net', 'json', [{ op: 'remove', path: '/status/identifier' }])).to.contain('status.identifier: Invalid value: cannot be removed once assigned');

    // Everything else in status stays writable: the operator's own status writes still go through.
    await cluster.kubectl('patch', 'vpcattachment', 'fixed', '-n', NS, '--subresource', 'status', '--type=merge', '-p', '{"status":{"ready":false}}');
    await readyAttachment('fixed');
    expect((await getAttachment('fixed')).status!.identifier).to.equal(ready.status!.identifier);
    expect((await cluster.getJson<Vpc>('vpc', 'net', '-n', NS)).status!.identifier).to.equal(vpcBefore.status!.identifier);
    expect((await getNad('fixed'))!.spec.config).to.equal(nadBefore);
  });

  it('reports addresses outside every network of the VPC as a condition, and writes no NAD', async () => {
    await apply(attachment('outside', 'net', ['10.1.1.9/24', '10.2.0.1/24']));
    const status = await waitFor(async () => condition(await getAttachment('outside'), 'Ready'), { what: 'a Ready condition', timeoutMs: 20_000 });
    expect(status).to.include({
      status: 'False',
      reason: 'AddressOutsideVPC',
      message: `address 10.2.0.1/24 outside every network of VPC ${NS}/net (10.1.1.0/24, 2001:10:1:1::/64)`,
    });
    expect((await getAttachment('outside')).status!.ready).to.equal(false);
    expect(await getNad('outside')).to.equal(undefined);
  });

  it('makes an attachment wait for its VPC, then provisions it', async () => {
    await apply(attachment('early', 'late', ['10.7.0.1/24']));
    const waiting = await waitFor(async () => condition(await getAttachment('early'), 'Ready'), { what: 'a Ready condition', timeoutMs: 20_000 });
    expect(waiting).to.include({ status: 'False', reason: 'VPCNotFound', message: `VPC ${NS}/late not found` });
    await apply(vpc('late', ['10.7.0.0/24']));
    await readyAttachment('early');
  });

  it('keeps a VPC with attachments while it is deleted, saying why, then lets it go', async () => {
    await apply(vpc('shrinking', ['10.8.0.0/24']));
    await apply(attachment('holder', 'shrinking', ['10.8.0.1/24']));
    await readyAttachment('holder');
    await cluster.kubectl('delete', 'vpc', 'shrinking', '-n', NS, '--wait=false');
    const terminating = await waitFor(async () => condition(await cluster.getJson<Vpc>('vpc', 'shrinking', '-n', NS), 'Terminating'), {
      what: 'the Terminating condition',
      timeoutMs: 20_000,
    });
    expect(terminating).to.include({
      status: 'True',
      reason: 'AttachmentsRemain',
      message: `deletion waits until no VPCAttachment references this VPC; 1 remain: ${NS}/holder`,
    });
    const held = await cluster.getJson<Vpc>('vpc', 'shrinking', '-n', NS);
    expect(held.status!.identifier, 'the VPC keeps its identifier').to.match(/^[0-9a-f]{12}$/);
    expect((await getAttachment('holder')).status!.ready, 'existing attachments keep working').to.equal(true);

    await apply(attachment('latecomer', 'shrinking', ['10.8.0.2/24']));
    const refused = await waitFor(async () => condition(await getAttachment('latecomer'), 'Ready'), { what: 'a Ready condition', timeoutMs: 20_000 });
    expect(refused).to.include({ status: 'False', reason: 'VPCDeleting' });

    await cluster.kubectl('delete', 'vpcattachment', 'holder', 'latecomer', '-n', NS);
    await waitFor(async () => !(await exists('vpcs', 'shrinking')), { what: 'the VPC to be deleted', timeoutMs: 20_000 });
  });
});
