// `ip -N monitor` lines captured from a kernel with VRF and seg6local
// (agent/testdata/capture-monitor.sh) parsed, and judged against a kept
// observation: the agent's own changes are echoes, anything else is drift.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { applyActions } from './diff.js';
import { type KernelEvent, isDrift, parseMonitorLine } from './kernel-events.js';
import { DEFAULT_OWNERSHIP, MAIN_TABLE, type ObservedKernel, egressRoute, emptyObserved, setObservedNexthop } from './kernel-state.js';

const lines = readFileSync(new URL('testdata/ip-monitor.txt', import.meta.url), 'utf8').split('\n');
const line = (start: string): string => {
  const found = lines.find((l) => l.startsWith(start));
  if (!found) throw new Error(`no captured line starts with ${start}`);
  return found;
};
const event = (start: string): KernelEvent => parseMonitorLine(line(start))!;

const SEGS = ['2001:db8:ff02::beef:2'];
const NH4 = 1191182336;
const NH6 = 1191182337;
const drift = (start: string, observed: ObservedKernel | undefined): boolean => isDrift(event(start), observed, DEFAULT_OWNERSHIP, 'lo-galactic');

/** What the kept observation holds after the agent made the captured objects. */
function keptObservation(): ObservedKernel {
  const observed = emptyObserved();
  for (const name of ['G000000cIn001V', 'G000000cIn001H', 'lo-galactic']) observed.links.set(name, { name });
  setObservedNexthop(observed, { id: NH4, family: 4, encap: 'seg6', segs: SEGS, dev: 'lo-galactic' });
  setObservedNexthop(observed, { id: NH6, family: 6, encap: 'seg6', segs: SEGS, dev: 'lo-galactic' });
  return applyActions(observed, [
    { op: 'route-replace', route: { kind: 'ingress', family: 6, table: MAIN_TABLE, dst: '2001:db8:ff01::beef:1/128', vrf: 'G000000cIn001V', vrfTable: 7 } },
    { op: 'route-replace', route: egressRoute(4, 7, '10.1.1.2/32', SEGS), nhid: NH4 },
    { op: 'route-replace', route: egressRoute(4, 7, '0.0.0.0/0', SEGS), nhid: NH4 },
    { op: 'route-replace', route: egressRoute(6, 7, '2001:10:1:1::2/128', SEGS), nhid: NH6 },
  ]);
}

describe('agent kernel events: ip monitor lines', () => {
  it('parses routes (host routes and default made canonical, table, metric, protocol, nhid), nexthops with segments, links; skips continuation lines', () => {
    expect(event('2001:db8:ff01::beef:1 ')).to.deep.equal({ kind: 'route', deleted: false, family: 6, table: MAIN_TABLE, dst: '2001:db8:ff01::beef:1/128', metric: 1024, protocol: 201 });
    expect(event('10.1.1.2 ')).to.deep.equal({ kind: 'route', deleted: false, family: 4, table: 7, dst: '10.1.1.2/32', metric: 0, protocol: 201, nhid: NH4 });
    expect(event('Deleted 2001:10:1:1::2 ')).to.deep.equal({ kind: 'route', deleted: true, family: 6, table: 7, dst: '2001:10:1:1::2/128', metric: 1024, protocol: 201, nhid: NH6 });
    expect(event('default ')).to.include({ family: undefined, table: 7, protocol: 201 });
    expect(event('192.0.2.0/24 ')).to.include({ dst: '192.0.2.0/24', protocol: undefined });
    expect(event(`Deleted id ${NH6}`)).to.deep.equal({ kind: 'nexthop', deleted: true, id: NH6, segs: SEGS });
    expect(event('5: G000000cIn001H@G000000cIn001G:')).to.deep.equal({ kind: 'link', deleted: false, name: 'G000000cIn001H' });
    expect(event('Deleted 4: G000000cIn001G@NONE:')).to.deep.equal({ kind: 'link', deleted: true, name: 'G000000cIn001G' });
    expect(parseMonitorLine(line('    link/'))).to.equal(undefined);
    expect(parseMonitorLine('')).to.equal(undefined);
  });

  it('the echoes of the agent’s own changes are not drift', () => {
    const kept = keptObservation();
    for (const start of ['2001:db8:ff01::beef:1 ', `id ${NH4}`, `id ${NH6}`, '10.1.1.2 ', '2001:10:1:1::2 ']) expect(drift(start, kept), start).to.equal(false);
    const afterDeletes = applyActions(keptObservation(), [
      { op: 'route-delete', route: { family: 4, table: 7, dst: '10.1.1.2/32', metric: 0, protocol: 201 } },
      { op: 'route-delete', route: { family: 6, table: 7, dst: '2001:10:1:1::2/128', metric: 1024, protocol: 201 } },
      { op: 'nexthop-delete', id: NH6 },
    ]);
    for (const start of ['Deleted 10.1.1.2 ', 'Deleted 2001:10:1:1::2 ', `Deleted id ${NH6}`]) expect(drift(start, afterDeletes), start).to.equal(false);
  });

  it('objects of the agent removed or changed behind its back, and Galactic links changing, are drift', () => {
    const kept = keptObservation();
    for (const start of ['Deleted 10.1.1.2 ', 'Deleted 2001:db8:ff01::beef:1 ', `Deleted id ${NH6}`, 'default ', '5: G000000cIn001H@', 'Deleted 4: G000000cIn001G@']) {
      expect(drift(start, kept), start).to.equal(true);
    }
    const renumbered = keptObservation();
    setObservedNexthop(renumbered, { id: NH4, family: 4, encap: 'seg6', segs: ['2001:db8:ff03::1'], dev: 'lo-galactic' });
    expect(drift(`id ${NH4}`, renumbered), 'a nexthop replaced with other segments').to.equal(true);
    expect(drift('2001:10:1:1::2 ', emptyObserved()), 'a route with the agent protocol it did not make').to.equal(true);
  });

  it('foreign routes and links are not the agent’s business; without a kept observation the next pass reads anyway', () => {
    expect(drift('192.0.2.0/24 ', keptObservation())).to.equal(false);
    expect(isDrift({ kind: 'link', deleted: false, name: 'eth0' }, keptObservation(), DEFAULT_OWNERSHIP, 'lo-galactic')).to.equal(false);
    expect(isDrift({ kind: 'nexthop', deleted: true, id: 5 }, keptObservation(), DEFAULT_OWNERSHIP, 'lo-galactic')).to.equal(false);
    expect(drift('Deleted 10.1.1.2 ', undefined)).to.equal(false);
  });
});
