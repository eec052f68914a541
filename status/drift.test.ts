import { expect } from 'chai';
import { type AgentState, computeDrift, hasDrift } from './drift.js';

const SID = '2001:db8:ff01::4d2:1';
const REMOTE = '2001:db8:ff02::4d2:2';

const agent = (over: Partial<AgentState> = {}): AgentState => ({
  worker: 'sjc',
  srv6Net: '2001:db8:ff01::/48',
  registrations: [{ sid: SID, vpc: '4d2', attachment: '1', networks: ['10.1.1.1/32'] }],
  routes: [{ endpoint: SID, network: '10.1.1.2/32', segments: [REMOTE] }],
  programmed: [{ table: 1, network: '10.1.1.2', segments: [REMOTE] }],
  ...over,
});

describe('status drift', () => {
  const expected = [{ network: '10.1.1.2/32', srv6Endpoint: SID, srv6Segments: [REMOTE] }];

  it('finds none when router, agent and kernel agree (ip -j prints host routes without /32)', () => {
    expect(hasDrift(computeDrift(expected, agent()))).to.equal(false);
  });

  it('reports routes the router expects that the agent lacks, and stale ones it holds', () => {
    const drift = computeDrift(
      [...expected, { network: '10.1.1.3/32', srv6Endpoint: SID, srv6Segments: ['2001:db8:ff03::4d2:3'] }],
      agent({ routes: [...agent().routes, { endpoint: SID, network: '10.9.9.9/32', segments: [REMOTE] }] }),
    );
    expect(drift.missingAtAgent).to.deep.equal([`10.1.1.3/32 → 2001:db8:ff03::4d2:3 (for ${SID})`]);
    expect(drift.staleAtAgent).to.deep.equal([`10.9.9.9/32 → ${REMOTE} (for ${SID})`]);
  });

  it('reports routes the agent holds but the kernel does not carry', () => {
    const drift = computeDrift(expected, agent({ programmed: [] }));
    expect(drift.notProgrammed).to.deep.equal([`10.1.1.2/32 → ${REMOTE} (for ${SID})`]);
  });
});
