// The kernel adapter against this machine's kernel, in a throwaway network
// namespace with `lo` as the encap device (egress needs no VRF).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { run } from '../lib/iproute.js';
import { memoryLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import { type Action, diff, formatAction } from './diff.js';
import { BatchError, Kernel } from './kernel.js';
import { type DesiredKernel, type EgressRoute, NEXTHOP_ID_RANGE, ROUTE_PROTOCOL, egressRoute, emptyDesired, proxyKey, routeKey, setDesiredRoute } from './kernel-state.js';
import { type Netns, createNetns } from './testing/netns.js';

const TABLE = 100;
const SID_A = '2001:db8:ff02::beef:2';
const SID_B = '2001:db8:ff03::beef:3';
const HOST_VETH = 'G00000beef001H';

function egress(dst: string, segs: string[], table = TABLE): EgressRoute {
  return egressRoute(dst.includes(':') ? 6 : 4, table, dst, segs);
}

function desiredOf(routes: EgressRoute[], proxies: { dst: string; dev: string }[] = []): DesiredKernel {
  const desired = emptyDesired('lo');
  for (const route of routes) setDesiredRoute(desired, routeKey(route.family, route.table, route.dst), route);
  for (const proxy of proxies) desired.proxies.set(proxyKey(proxy.dst, proxy.dev), proxy);
  return desired;
}

const lines = (actions: Action[]): string[] => actions.map((a) => formatAction(a));

describe('agent kernel adapter (network namespace on this kernel)', function () {
  this.timeout(30_000);
  let ns: Netns;

  beforeEach(async () => {
    ns = await createNetns('agent-kernel');
    // Stands in for the host veth: proxy entries are owned on G…H links only.
    await ns.ip(['link', 'add', HOST_VETH, 'type', 'bridge']);
    // No IPv6 link-local address: its routes (fe80::/64, local fe80::…) would
    // appear after DAD, between two reads of a test, on a loaded machine.
    await ns.ip(['link', 'set', HOST_VETH, 'addrgenmode', 'none']);
    await ns.ip(['link', 'set', HOST_VETH, 'up']);
  });

  afterEach(async () => {
    await ns?.delete();
  });

  const initial = desiredOf(
    [egress('10.1.1.2/32', [SID_A]), egress('192.168.2.0/24', [SID_A]), egress('2001:10:1:1::2/128', [SID_A]), egress('2001:2::/64', [SID_A]), egress('10.1.1.3/32', [SID_B])],
    [{ dst: '10.1.1.2', dev: HOST_VETH }, { dst: '2001:10:1:1::2', dev: HOST_VETH }],
  );

  it('programs egress routes through one nexthop per SID and family, and the kept observation matches a fresh read', async () => {
    const kernel = new Kernel({ netns: ns.name });
    const actions = diff(initial, await kernel.observe());
    await kernel.apply(actions);
    const kept = await kernel.observe();
    const fresh = await new Kernel({ netns: ns.name }).read();
    expect(fresh).to.deep.equal(kept);
    expect(fresh.nexthops.size, 'nexthops: SID A v4+v6, SID B v4').to.equal(3);
    expect(diff(initial, fresh)).to.deep.equal([]);

    const v4 = JSON.parse(await ns.ip(['-j', '-4', 'route', 'show', 'table', String(TABLE)])) as { dst: string; nhid: number; protocol: string }[];
    const nh4 = JSON.parse(await ns.ip(['-j', '-4', 'nexthop'])) as { id: number; segs: string[] }[];
    const nh6 = JSON.parse(await ns.ip(['-j', '-6', 'nexthop'])) as { id: number; segs: string[] }[];
    const sidA4 = nh4.find((n) => n.segs[0] === SID_A)!.id;
    expect(v4.filter((r) => r.nhid === sidA4).map((r) => r.dst).sort()).to.deep.equal(['10.1.1.2', '192.168.2.0/24']);
    expect(v4.every((r) => r.protocol === String(ROUTE_PROTOCOL))).to.equal(true);
    expect(nh6.map((n) => n.segs)).to.deep.equal([[SID_A]]);
    for (const { id } of [...nh4, ...nh6]) expect(id).to.be.within(NEXTHOP_ID_RANGE.first, NEXTHOP_ID_RANGE.last);
    const proxies = JSON.parse(await ns.ip(['-j', 'neigh', 'show', 'proxy'])) as { dst: string; dev: string }[];
    expect(proxies.map((p) => `${p.dst} ${p.dev}`).sort()).to.deep.equal([`10.1.1.2 ${HOST_VETH}`, `2001:10:1:1::2 ${HOST_VETH}`]);
  });

  it('ip monitor: its own batches are no drift; a route or nexthop removed by hand is, and the next observation reads the kernel', async () => {
    const kernel = new Kernel({ netns: ns.name });
    const reasons: string[] = [];
    const watching = kernel.drift({ encapDevice: 'lo', logger: memoryLogger() }).subscribe((drift) => reasons.push(`${drift.cause}: ${drift.detail}`));
    try {
      await waitFor(() => reasons.length === 1, { what: 'the monitor' });
      await kernel.apply(diff(initial, await kernel.observe()));
      const moved = desiredOf([...initial.routes.values()].map((r) => (r.kind === 'egress' && r.dst === '10.1.1.3/32' ? egress(r.dst, [SID_A]) : (r as EgressRoute))), [...initial.proxies.values()]);
      await kernel.apply(diff(moved, await kernel.observe()));
      const readsBefore = kernel.fullReads;

      // Events reach the monitor in the kernel's order: once the hand-made change is seen, every echo before it was judged.
      await ns.ip(['route', 'del', '192.168.2.0/24', 'table', String(TABLE)]);
      await waitFor(() => reasons.length > 1, { what: 'the drift' });
      expect(reasons).to.deep.equal([reasons[0], reasons[1]]);
      expect(reasons[0]).to.match(/^monitor-started: pid \d+$/);
      expect(reasons[1]).to.match(/^change: Deleted 192\.168\.2\.0\/24 nhid \d+ .*table 100 proto 201/);
      const repaired = diff(moved, await kernel.observe());
      expect(kernel.fullReads, 'the kept observation was dropped').to.equal(readsBefore + 1);
      expect(repaired.map((a) => a.op)).to.deep.equal(['route-replace']);
      await kernel.apply(repaired);

      const nexthop = [...(await kernel.observe()).nexthops.values()].find((n) => n.family === 6)!;
      await ns.ip(['nexthop', 'del', 'id', String(nexthop.id)]);
      await waitFor(() => reasons.length > 2, { what: 'the drift' });
      expect(reasons[2]).to.match(new RegExp(`^change: Deleted (id ${nexthop.id}|2001:)`));
    } finally {
      watching.unsubscribe();
    }
  });

  it('ip monitor: restarted when it dies, which drops the kept observation (events may have been missed meanwhile)', async () => {
    const kernel = new Kernel({ netns: ns.name });
    const reasons: string[] = [];
    const logger = memoryLogger();
    const watching = kernel.drift({ encapDevice: 'lo', logger, backoff: { initialMs: 50 } }).subscribe((drift) => reasons.push(`${drift.cause}: ${drift.detail}`));
    try {
      await waitFor(() => reasons.length === 1, { what: 'the monitor' });
      const pid = Number(/pid (\d+)/.exec(reasons[0]!)![1]);
      await kernel.observe();
      const readsBefore = kernel.fullReads;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => reasons.length === 2, { what: 'the restarted monitor' });
      expect(reasons[1]).to.match(/^monitor-started: pid \d+$/).and.not.equal(reasons[0]);
      expect(logger.lines.map((line) => line.msg)).to.include('ip monitor stopped; restarting it (the periodic resync still repairs drift)');
      await kernel.observe();
      expect(kernel.fullReads, 'read again after the restart').to.equal(readsBefore + 1);

      await ns.ip(['route', 'add', '192.0.2.0/24', 'dev', 'lo', 'table', String(TABLE), 'proto', String(ROUTE_PROTOCOL)]);
      await waitFor(() => reasons.length === 3, { what: 'drift seen by the new monitor' });
      expect(reasons[2]).to.match(/^change: 192\.0\.2\.0\/24 dev lo table 100 proto 201/);
    } finally {
      watching.unsubscribe();
    }
  });

  it('a restarted agent reading the kernel changes nothing', async () => {
    await new Kernel({ netns: ns.name }).apply(diff(initial, await new Kernel({ netns: ns.name }).read()));
    const before = await ns.ip(['-j', 'route', 'show', 'table', String(TABLE)]);
    const restarted = new Kernel({ netns: ns.name });
    expect(lines(diff(initial, await restarted.observe()))).to.deep.equal([]);
    expect(await ns.ip(['-j', 'route', 'show', 'table', String(TABLE)])).to.equal(before);
  });

  it('moves a route to another SID with a replace, and removes the nexthop nobody uses any more', async () => {
    const kernel = new Kernel({ netns: ns.name });
    await kernel.apply(diff(initial, await kernel.observe()));
    const idOfB = [...(await kernel.observe()).nexthops.values()].find((n) => n.segs[0] === SID_B)!.id;
    const moved = desiredOf([...initial.routes.values()].map((r) => (r.dst === '10.1.1.3/32' ? egress('10.1.1.3/32', [SID_A]) : (r as EgressRoute))), [...initial.proxies.values()]);
    const change = diff(moved, await kernel.observe());
    expect(lines(change)).to.deep.equal([`route replace 10.1.1.3/32 nhid ${NEXTHOP_ID_RANGE.first} table ${TABLE} proto ${ROUTE_PROTOCOL}`, `nexthop del id ${idOfB}`]);
    await kernel.apply(change);
    const fresh = await new Kernel({ netns: ns.name }).read();
    expect(fresh).to.deep.equal(await kernel.observe());
    expect(fresh.nexthops.has(idOfB)).to.equal(false);
  });

  it('removes stale routes, proxies and nexthops it owns, and never touches foreign ones', async () => {
    await ns.ip(['-6', 'nexthop', 'add', 'id', '5', 'encap', 'seg6', 'mode', 'encap', 'segs', SID_A, 'dev', 'lo']);
    await ns.ip(['route', 'add', '10.9.0.0/24', 'nhid', '5', 'table', String(TABLE), 'proto', 'static']);
    await ns.ip(['-6', 'route', 'add', '2001:9::/64', 'encap', 'seg6', 'mode', 'encap', 'segs', SID_B, 'dev', 'lo', 'table', String(TABLE)]);
    await ns.ip(['neigh', 'add', 'proxy', '10.9.0.9', 'dev', 'lo']);
    const kernel = new Kernel({ netns: ns.name });
    await kernel.apply(diff(initial, await kernel.observe()));
    const foreignBefore = await ns.ip(['-j', 'route', 'show', 'table', String(TABLE), 'proto', 'static']);

    const removal = diff(desiredOf([]), await kernel.observe());
    const text = lines(removal);
    const firstNexthopDelete = text.findIndex((l) => l.startsWith('nexthop del'));
    const lastRouteDelete = text.map((l) => l.startsWith('route del')).lastIndexOf(true);
    expect(lastRouteDelete).to.be.lessThan(firstNexthopDelete);
    await kernel.apply(removal);

    const fresh = await new Kernel({ netns: ns.name }).read();
    expect(fresh.routes.size).to.equal(0);
    expect(fresh.nexthops.size).to.equal(0);
    expect(fresh.proxies.size).to.equal(0);
    expect(await ns.ip(['-j', 'route', 'show', 'table', String(TABLE), 'proto', 'static'])).to.equal(foreignBefore);
    expect(await ns.ip(['-6', 'route', 'show', 'table', String(TABLE)])).to.contain('2001:9::/64');
    expect(await ns.ip(['nexthop', 'show', 'id', '5'])).to.contain('id 5');
    expect(await ns.ip(['neigh', 'show', 'proxy'])).to.contain('10.9.0.9 dev lo');
  });

  it('a failing batch names its line, and the next observation reads the kernel again', async () => {
    const kernel = new Kernel({ netns: ns.name });
    await kernel.observe();
    const reads = kernel.fullReads;
    const broken = desiredOf([egress('10.1.1.2/32', [SID_A])], [{ dst: '10.1.1.2', dev: 'G00000beef009H' }]);
    const error = await kernel.apply(diff(broken, await kernel.observe())).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(BatchError);
    expect((error as BatchError).line).to.equal('neigh replace proxy 10.1.1.2 dev G00000beef009H');
    expect((error as Error).message).to.match(/G00000beef009H/);
    await kernel.observe();
    expect(kernel.fullReads).to.equal(reads + 1);
  });

  it('after a transient failure (out of memory) it keeps what the batch did and continues there, without reading again', async () => {
    // `ip` that runs the first lines of a batch, then fails like a kernel out of atomic memory.
    const realIp = (await run(['sh', '-c', 'command -v ip'])).trim();
    const dir = mkdtempSync(join(tmpdir(), 'galactic-fake-ip-'));
    writeFileSync(
      join(dir, 'ip'),
      `#!/bin/sh
case " $* " in *" -batch "*) if [ -n "$FAKE_IP_FAIL_AT" ]; then
  n=$FAKE_IP_FAIL_AT
  head -n $((n - 1)) | ${realIp} "$@" || exit $?
  echo "RTNETLINK answers: Cannot allocate memory" >&2; echo "Command failed -:$n" >&2; exit 1
fi ;; esac
exec ${realIp} "$@"
`,
      { mode: 0o755 },
    );
    const path = process.env.PATH;
    process.env.PATH = `${dir}:${path}`;
    try {
      const desired = desiredOf([egress('10.1.1.2/32', [SID_A]), egress('10.1.1.3/32', [SID_B]), egress('10.1.1.4/32', [SID_A])]);
      const kernel = new Kernel({ netns: ns.name });
      const first = diff(desired, await kernel.observe());
      expect(lines(first)).to.have.length(5);
      process.env.FAKE_IP_FAIL_AT = '4';
      const error = (await kernel.apply(first).catch((e: unknown) => e)) as BatchError;
      expect(error.transient).to.equal(true);
      delete process.env.FAKE_IP_FAIL_AT;

      const reads = kernel.fullReads;
      const rest = diff(desired, await kernel.observe());
      expect(kernel.fullReads, 'no re-read').to.equal(reads);
      expect(lines(rest)).to.deep.equal(lines(first).slice(3));
      await kernel.apply(rest);
      expect(await new Kernel({ netns: ns.name }).read()).to.deep.equal(await kernel.observe());
    } finally {
      process.env.PATH = path;
      delete process.env.FAKE_IP_FAIL_AT;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
