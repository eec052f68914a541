import { expect } from 'chai';
import { V1MicroTime } from '@kubernetes/client-node';
import { electionStep, recordOf } from './leader.js';

const config = { identity: 'me', leaseDurationMs: 15_000 };
const held = (holder: string, renewMs: number, transitions = 3) => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  renewTime: new V1MicroTime(renewMs),
  acquireTime: new V1MicroTime(0),
  leaseTransitions: transitions,
});

describe('controllers/leader: election decisions', () => {
  it('creates the lease when there is none', () => {
    const step = electionStep(undefined, undefined, 1000, config);
    expect(step.kind).to.equal('create');
    expect(step.kind === 'create' && step.spec).to.deep.include({ holderIdentity: 'me', leaseDurationSeconds: 15, leaseTransitions: 0 });
  });

  it('renews its own lease, keeping acquireTime and transitions', () => {
    const lease = held('me', 0);
    const step = electionStep(lease, undefined, 5000, config);
    expect(step).to.deep.include({ kind: 'update', acquiring: false });
    if (step.kind !== 'update') throw new Error('expected update');
    expect(new Date(step.spec.renewTime!).getTime()).to.equal(5000);
    expect(step.spec.acquireTime).to.equal(lease.acquireTime);
    expect(step.spec.leaseTransitions).to.equal(3);
  });

  it("waits while another holder's lease is fresh, timed by our own clock since we saw it change", () => {
    const lease = held('other', 0);
    // We first saw this record at t=100 s (their clock says t=0: skew does not matter).
    const observed = { record: recordOf(lease), atMs: 100_000 };
    expect(electionStep(lease, observed, 110_000, config)).to.deep.equal({ kind: 'wait', holder: 'other', expiresInMs: 5000 });
    const step = electionStep(lease, observed, 115_000, config);
    expect(step).to.deep.include({ kind: 'update', acquiring: true });
    expect(step.kind === 'update' && step.spec).to.deep.include({ holderIdentity: 'me', leaseTransitions: 4 });
  });

  it('a record we have not seen before counts as renewed just now', () => {
    const lease = held('other', 0);
    const stale = { record: recordOf(held('other', -1)), atMs: 0 };
    expect(electionStep(lease, stale, 50_000, config)).to.deep.include({ kind: 'wait', expiresInMs: 15_000 });
  });

  it('takes a released lease (empty holder) at once without counting a transition', () => {
    const step = electionStep({ ...held('', 0), leaseDurationSeconds: 1 }, undefined, 1, config);
    expect(step).to.deep.include({ kind: 'update', acquiring: true });
    expect(step.kind === 'update' && step.spec.leaseTransitions).to.equal(3);
  });
});
