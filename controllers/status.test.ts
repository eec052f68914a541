import { expect } from 'chai';
import type { Reservation, Vpc, VpcAttachment } from './model.js';
import { attachmentBlocker, attachmentStatus, poolUsage, provisioned, statusEquals, vpcStatus, withCondition } from './status.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';

const vpc = (over: Partial<Vpc['metadata']> = {}, identifier?: string): Vpc => ({
  metadata: { name: 'v', namespace: 'ns', generation: 1, ...over },
  spec: { networks: ['10.1.1.0/24', '2001:10:1:1::/64'] },
  ...(identifier ? { status: { identifier, ready: true } } : {}),
});

const attachment = (addresses: string[], identifier?: string): VpcAttachment => ({
  metadata: { name: 'a', namespace: 'ns', generation: 3 },
  spec: { vpc: { name: 'v' }, interface: { addresses } },
  ...(identifier ? { status: { identifier } } : {}),
});

describe('controllers/status: conditions', () => {
  it('keeps lastTransitionTime while the status stays, and moves it on a change', () => {
    const first = withCondition(undefined, { type: 'Ready', status: 'False', reason: 'X', message: 'x' }, T0);
    const same = withCondition(first, { type: 'Ready', status: 'False', reason: 'Y', message: 'y' }, T1);
    expect(same[0]).to.include({ reason: 'Y', lastTransitionTime: T0 });
    const flipped = withCondition(same, { type: 'Ready', status: 'True', reason: 'Z', message: 'z' }, T1);
    expect(flipped[0]).to.include({ status: 'True', lastTransitionTime: T1 });
  });

  it('a VPC is ready with its identifier, with observedGeneration', () => {
    const status = vpcStatus(vpc(), '0000000004d2', undefined, T0);
    expect(status).to.deep.include({ identifier: '0000000004d2', ready: true, observedGeneration: 1 });
    expect(status.conditions).to.deep.equal([
      { type: 'Ready', status: 'True', reason: 'IdentifierAssigned', message: 'identifier 0000000004d2', observedGeneration: 1, lastTransitionTime: T0 },
    ]);
    expect(vpcStatus(vpc(), undefined, undefined, T0)).to.deep.include({ ready: false });
  });

  it('a VPC being deleted names the attachments that still hold it', () => {
    const status = vpcStatus(vpc({ deletionTimestamp: T0 }), '0000000004d2', ['ns/a', 'ns/b'], T1);
    const terminating = status.conditions!.find((c) => c.type === 'Terminating');
    expect(terminating).to.include({ status: 'True', reason: 'AttachmentsRemain' });
    expect(terminating!.message).to.equal('deletion waits until no VPCAttachment references this VPC; 2 remain: ns/a, ns/b');
    const cleared = vpcStatus({ ...vpc(), status }, '0000000004d2', [], T1);
    expect(cleared.conditions!.map((c) => c.type)).to.deep.equal(['Ready']);
  });

  it('an attachment waits for a missing VPC, then for its identifier', () => {
    expect(attachmentBlocker(attachment(['10.1.1.1/24']), undefined)).to.deep.equal({
      ready: false,
      reason: 'VPCNotFound',
      message: 'VPC ns/v not found',
    });
    expect(attachmentBlocker(attachment(['10.1.1.1/24']), vpc())).to.include({ reason: 'VPCNotReady' });
    expect(attachmentBlocker(attachment(['10.1.1.1/24']), vpc({}, '0000000004d2'))).to.equal(undefined);
  });

  it('reports addresses outside every network of the VPC', () => {
    const blocker = attachmentBlocker(attachment(['10.1.1.1/24', '10.2.0.1/24', '2001:10:1:1::1/48']), vpc({}, '0000000004d2'));
    expect(blocker).to.deep.equal({
      ready: false,
      reason: 'AddressOutsideVPC',
      message: 'addresses 10.2.0.1/24, 2001:10:1:1::1/48 outside every network of VPC ns/v (10.1.1.0/24, 2001:10:1:1::/64)',
    });
  });

  it('a deleting VPC blocks new attachments but keeps provisioned ones', () => {
    const deleting = vpc({ deletionTimestamp: T0 }, '0000000004d2');
    expect(attachmentBlocker(attachment(['10.1.1.1/24']), deleting)).to.include({ reason: 'VPCDeleting' });
    expect(attachmentBlocker(attachment(['10.1.1.1/24'], '002a'), deleting)).to.equal(undefined);
  });

  it('an attachment status carries identifier, ready, the Ready condition and observedGeneration', () => {
    const a = attachment(['10.1.1.1/24']);
    const status = attachmentStatus(a, '002a', provisioned(a, '002a'), T0);
    expect(status).to.deep.include({ identifier: '002a', ready: true, observedGeneration: 3 });
    expect(status.conditions![0]).to.include({ type: 'Ready', status: 'True', reason: 'Provisioned', observedGeneration: 3 });
    expect(statusEquals(status, attachmentStatus({ ...a, status }, '002a', provisioned(a, '002a'), T1))).to.equal(true);
    expect(statusEquals(status, attachmentStatus({ ...a, status }, '002b', provisioned(a, '002b'), T1))).to.equal(false);
  });
});

describe('controllers/status: pool attachments', () => {
  const pools = (list: string[]): VpcAttachment => ({ metadata: { name: 'web', namespace: 'ns' }, spec: { vpc: { name: 'v' }, interface: { ipam: { pools: list } } } });
  const held = (address: string, attachmentName: string, vpcHex = '0000000004d2', pool = '10.1.1.0/29'): Reservation => ({
    metadata: { name: address, namespace: 'ns' },
    spec: { vpc: { name: 'v', identifier: vpcHex }, attachment: attachmentName, endpoint: '0001', address, pool },
  });

  it('reports a pool outside every network of the VPC', () => {
    expect(attachmentBlocker(pools(['10.1.1.0/25', '10.9.0.0/24']), vpc({}, '0000000004d2'))).to.deep.equal({
      ready: false,
      reason: 'PoolOutsideVPC',
      message: 'pool 10.9.0.0/24 outside every network of VPC ns/v (10.1.1.0/24, 2001:10:1:1::/64)',
    });
  });

  it('counts what its pods hold, and as not free what anyone in the VPC holds', () => {
    const usage = poolUsage(
      pools(['10.1.1.0/29', '2001:10:1:1::/64']),
      '0000000004d2',
      [held('10.1.1.1/29', 'web'), held('10.1.1.2/29', 'other'), held('10.1.1.3/29', 'web', '0000000004d3')],
      ['10.1.1.6/24'],
    );
    expect(usage).to.deep.equal([
      { pool: '10.1.1.0/29', allocated: 1, free: 3 },
      { pool: '2001:10:1:1::/64', allocated: 0, free: Number.MAX_SAFE_INTEGER },
    ]);
  });
});
