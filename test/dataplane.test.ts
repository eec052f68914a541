// End to end on a real kernel with VRF and SRv6: three nodes (SJC, IAD, AMS)
// running the agent, the router and a broker, pods attached by invoking the
// CNI plugin executable as a runtime does. Steps run in order and build on
// each other, like an operator's day.
import { expect } from 'chai';
import pg from 'pg';
import { type KernelHost, startKernelHost } from '../hack/kernel/index.js';
import { Lab, type KernelSnapshot } from '../hack/lab/lab.js';
import { MQTT_PORT } from '../hack/lab/topology.js';
import { hostVethName, vrfName } from '../lib/names.js';
import { encodeSid, parseSrv6Net } from '../lib/sid.js';
import { waitFor, withTimeout } from '../lib/wait.js';
import { type Postgres, startPostgres } from '../router/testing/postgres.js';
import { addPod, expectReachable, galacticExecutable, removePod } from './support/datapath.js';
import { LabFaultProxy } from './support/lab-fault-proxy.js';
import { type PodSpec, VPC_A, VPC_B, addressOf, isolatedPods, sameNodePod, seedPods } from './support/seed.js';

const NODES = ['sjc', 'iad', 'ams'];
const ANTI_ENTROPY_INTERVAL_S = 5;
const [sjc, iad, ams] = seedPods as [PodSpec, PodSpec, PodSpec];

describe('data path on a real kernel (three PoPs)', function () {
  this.timeout(20 * 60_000);
  let host: KernelHost;
  let lab: Lab;
  let postgres: Postgres | undefined;
  let proxy: LabFaultProxy | undefined;
  const log: string[] = [];

  before(async () => {
    try {
      const galactic = galacticExecutable();
      host = await startKernelHost({ log: (line) => log.push(line) });
      // A short anti-entropy interval: after faults the kernels converge within seconds.
      lab = await Lab.create({ host, nodes: NODES, galactic: [galactic], antiEntropyIntervalS: ANTI_ENTROPY_INTERVAL_S, log: (line) => log.push(line) });
      await lab.startBroker();
      await lab.startRouter();
      for (const node of NODES) await lab.startAgent(node);
    } catch (error) {
      console.log(log.slice(-80).join('\n'));
      throw error;
    }
  });

  after(async () => {
    await proxy?.stop();
    await lab?.teardown();
    await host?.close();
    await postgres?.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(log.slice(-80).join('\n'));
  });

  /**
   * `ip monitor` on a node from now on: removals of what the agent owns
   * (routes of its protocol 201, routes through nexthops, seg6 nexthops,
   * proxy neighbours). A canary route proves the monitor is listening.
   */
  async function watchRemovals(node: string): Promise<{ node: string; removals: () => Promise<string[]>; stop: () => Promise<void> }> {
    const monitor = await host.spawn(['ip', '-n', node, 'monitor', 'route', 'nexthop', 'neigh']);
    let canaries = 0;
    const canary = async (): Promise<void> => {
      const route = `10.250.${++canaries}.0/24`;
      await lab.sh(`ip -n ${node} route add ${route} dev lo table 99 && ip -n ${node} route del ${route} dev lo table 99`);
      await monitor.waitForOutput(`Deleted ${route}`, 60_000);
    };
    await canary();
    return {
      node,
      removals: async () => {
        await canary(); // everything before it has been reported
        return monitor
          .output()
          .split('\n')
          .filter((line) => line.startsWith('Deleted') && !line.includes('10.250.') && /proto 201|nhid \d+|encap seg6|proxy/.test(line));
      },
      stop: () => monitor.kill('SIGKILL'),
    };
  }

  const snapshots = async (): Promise<Record<string, KernelSnapshot>> =>
    Object.fromEntries(await Promise.all(NODES.map(async (node) => [node, await lab.kernelState(node)] as const)));

  async function expectFullMesh(pods: PodSpec[]): Promise<void> {
    for (const from of pods) {
      for (const to of pods) {
        if (from === to) continue;
        for (const family of [4, 6] as const) await expectReachable(lab, from.pod, addressOf(to, family));
      }
    }
  }

  it('seed: IPv4 and IPv6 between all pods across nodes', async () => {
    for (const pod of seedPods) await addPod(lab, pod);
    await expectFullMesh(seedPods);
  });

  it('seed: routed prefixes behind SJC and AMS reach each other (source from the prefix)', async () => {
    await expectReachable(lab, sjc.pod, '192.168.2.1', '192.168.1.1');
    await expectReachable(lab, ams.pod, '192.168.1.1', '192.168.2.1');
    await expectReachable(lab, sjc.pod, '2001:2::1', '2001:1::1');
    await expectReachable(lab, ams.pod, '2001:1::1', '2001:2::1');
  });

  it('isolation: a second VPC reusing the addresses reaches its own pods and never the first VPC', async () => {
    for (const pod of isolatedPods) await addPod(lab, pod);
    await expectFullMesh(isolatedPods);
    const [bSjc] = isolatedPods as [PodSpec];
    for (const foreign of ['10.1.1.3', '2001:10:1:1::3', '192.168.2.1', '2001:2::1']) {
      expect(await lab.ping(bSjc.pod, foreign), `VPC B reaching VPC A's ${foreign}`).to.equal(false);
    }
  });

  it('two attachments of one VPC on the same node reach each other', async () => {
    await addPod(lab, sameNodePod);
    await expectReachable(lab, sameNodePod.pod, addressOf(sjc, 4));
    await expectReachable(lab, sjc.pod, addressOf(sameNodePod, 6));
  });

  it('churn: a deleted pod disappears from every node; moved to another node it is reachable again', async () => {
    await removePod(lab, iad);
    for (const node of ['sjc', 'ams']) {
      await waitFor(async () => !(await lab.kernelState(node)).routes.some((r) => r.includes(' 10.1.1.2 ')), {
        what: `the route to IAD's 10.1.1.2 leaving ${node}`,
        timeoutMs: 60_000,
        intervalMs: 250,
      });
    }
    expect(await lab.ping(sjc.pod, addressOf(iad, 4))).to.equal(false);
    await addPod(lab, iad, 'ams');
    await expectReachable(lab, sjc.pod, addressOf(iad, 4));
    await expectReachable(lab, sjc.pod, addressOf(iad, 6));
  });

  /** Kernel state with VRF tables by name and nexthops without ids: equal however tables and ids were allocated. */
  async function comparableState(node: string): Promise<KernelSnapshot> {
    const tables = await vrfTables(node);
    const state = await lab.kernelState(node);
    const named = (route: string): string => {
      const [table, ...rest] = route.split(' ');
      return [tables.get(table!) ?? table, ...rest].join(' ');
    };
    return { ...state, routes: state.routes.map(named).sort(), nexthops: state.nexthops.map((nexthop) => nexthop.replace(/^\d+ /, '')).sort() };
  }

  /** A node's VRFs: table number to VRF name. */
  async function vrfTables(node: string): Promise<Map<string, string>> {
    const out = await lab.sh(`ip -n ${node} -j -d link show type vrf`);
    const vrfs = out.trim() === '' ? [] : (JSON.parse(out) as Array<{ ifname: string; linkinfo?: { info_data?: { table?: number } } }>);
    return new Map(vrfs.map((vrf) => [String(vrf.linkinfo?.info_data?.table), vrf.ifname]));
  }

  const comparableSnapshots = async (): Promise<Record<string, KernelSnapshot>> =>
    Object.fromEntries(await Promise.all(NODES.map(async (node) => [node, await comparableState(node)] as const)));

  async function waitForState(read: () => Promise<Record<string, KernelSnapshot>>, expected: Record<string, KernelSnapshot>, what: string): Promise<void> {
    await waitFor(async () => JSON.stringify(await read()) === JSON.stringify(expected), { what, timeoutMs: 120_000, intervalMs: 500 }).catch(async (error: Error) => {
      expect(await read(), error.message).to.deep.equal(expected);
    });
  }

  /** The kernels once they read the same over two anti-entropy intervals: nothing is still on its way. */
  async function settledState(read: () => Promise<Record<string, KernelSnapshot>>): Promise<Record<string, KernelSnapshot>> {
    let previous = '';
    let since = 0;
    return waitFor(
      async () => {
        const now = JSON.stringify(await read());
        if (now !== previous) [previous, since] = [now, Date.now()];
        return Date.now() - since >= 2 * ANTI_ENTROPY_INTERVAL_S * 1000 && (JSON.parse(now) as Record<string, KernelSnapshot>);
      },
      { what: 'the kernels to settle', timeoutMs: 120_000, intervalMs: 1_000 },
    );
  }

  /** Injects a fault while `ip monitor` watches every node: the kernels end as they were, and nothing was removed on the way. */
  async function expectNoFlapThrough(fault: string, inject: () => Promise<void>): Promise<void> {
    const before = await snapshots();
    const monitors = await Promise.all(NODES.map((node) => watchRemovals(node)));
    try {
      await inject();
      await waitForState(snapshots, before, `kernel state after the ${fault} fault to equal the state before`);
      await expectReachable(lab, sjc.pod, addressOf(ams, 4));
      await expectReachable(lab, ams.pod, addressOf(sjc, 6));
      // Everything the agents own was expected before and after: any removal was a flap.
      for (const monitor of monitors) expect(await monitor.removals(), `removals on ${monitor.node} during the ${fault} fault`).to.deep.equal([]);
    } finally {
      for (const monitor of monitors) await monitor.stop();
    }
  }

  /** A registration made now reaches the other nodes (the control plane works, not only the kernels kept their state). */
  async function expectNewRegistrationPropagates(): Promise<void> {
    const late: PodSpec = { ...sameNodePod, pod: 'pod-ams-late', node: 'ams', attachment: 5n, addresses: ['10.1.1.5/24', '2001:10:1:1::5/64'] };
    await addPod(lab, late);
    await expectReachable(lab, sjc.pod, '10.1.1.5');
    await removePod(lab, late);
  }

  // Each fault class in turn (issue 8): the control plane converges by anti-entropy, never through a removal.
  for (const [fault, restart] of [
    ['agent', async () => { await lab.stopAgent('sjc', 'SIGKILL'); await lab.startAgent('sjc'); }],
    ['router', async () => { await lab.stopRouter('SIGKILL'); await lab.startRouter(); }],
    ['broker', async () => { await lab.stopBroker('SIGKILL'); await lab.startBroker(); }],
  ] as const) {
    it(`faults: killing and restarting the ${fault} removes nothing from any kernel (ip monitor) and recovers connectivity`, async () => {
      await expectNoFlapThrough(fault, restart);
    });
  }

  // PostgreSQL runs on this machine (startPostgres); the router on the kernel host reaches it through a port relay.
  const POSTGRES_PORT_ON_KERNEL_HOST = 15432;
  const onPostgres = { dbUrl: `postgres://galactic@127.0.0.1:${POSTGRES_PORT_ON_KERNEL_HOST}/postgres` };

  // A new, empty store is not a fault the guarantee covers: peers may lose routes until the agents have
  // filled it, and nexthops then come back under other ids.
  it('faults: the router moved to an empty PostgreSQL store is filled by the agents; the kernels return to what they were', async () => {
    const before = await comparableSnapshots();
    postgres = await startPostgres();
    await host.forwardToHost(POSTGRES_PORT_ON_KERNEL_HOST, Number(new URL(postgres.url).port));
    await lab.stopRouter();
    await lab.startRouter(onPostgres);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const workers = async (): Promise<string[]> =>
        (await client.query<{ worker: string }>('SELECT DISTINCT worker FROM galactic_registration ORDER BY worker')).rows.map((row) => row.worker);
      await waitFor(async () => JSON.stringify(await workers()) === JSON.stringify([...NODES].sort()), {
        what: 'every worker to have its registrations in the PostgreSQL store',
        timeoutMs: 120_000,
        intervalMs: 500,
      }).catch(async (error: Error) => {
        expect(await workers(), error.message).to.deep.equal([...NODES].sort());
      });
    } finally {
      await client.end();
    }
    await waitForState(comparableSnapshots, before, 'kernel state after the move to PostgreSQL to equal the state before');
    expect(await settledState(comparableSnapshots), 'kernel state after the move, settled').to.deep.equal(before);
  });

  it('faults: killing and restarting the router on PostgreSQL removes nothing from any kernel (ip monitor) and recovers connectivity', async () => {
    await expectNoFlapThrough('router on PostgreSQL', async () => {
      await lab.stopRouter('SIGKILL');
      await lab.startRouter(onPostgres);
    });
  });

  it('faults: a PostgreSQL crash stops the router (its store lock is gone); restarted, as its supervisor would, it removes nothing and keeps registering', async () => {
    await expectNoFlapThrough('PostgreSQL crash', async () => {
      const exit = lab.routerExit();
      await postgres!.crashAndRestart();
      expect(await withTimeout(exit, 60_000, 'the router to exit after losing its store'), 'router exit code').to.not.equal(0);
      await lab.startRouter(onPostgres);
    });
    await expectNewRegistrationPropagates();
  });

  // The lossy line: every client behind the MQTT fault proxy, pods coming and going while it drops and duplicates.
  const PROXY_PORT = MQTT_PORT + 1;
  const LOSSY = { drop: 0.2, duplicate: 0.05 };
  /** Its first decisions once faulty: pass, drop, pass, duplicate, ... (both faults within the first few messages). */
  const PROXY_SEED = 6;
  const throughProxy = { mqttPort: PROXY_PORT };
  const churnPod = (pod: string, node: string, vpc: bigint, hostNumber: number): PodSpec => ({
    pod, node, vpc, attachment: BigInt(hostNumber),
    addresses: [`10.1.1.${hostNumber}/24`, `2001:10:1:1::${hostNumber}/64`], terminations: [], podRoutes: [], prefixAddresses: [],
  });
  // Kept pods are added on a clean line and make the expected state; under faults bounced ones are
  // deleted and added again on the same node, temporary ones added and deleted, keptA left alone.
  const keptA = churnPod('pod-kept-a', 'ams', VPC_A, 13);
  const bouncedA = churnPod('pod-bounced-a', 'sjc', VPC_A, 11);
  const bouncedB = churnPod('pod-bounced-b', 'iad', VPC_B, 21);
  const temporaryA = churnPod('pod-temporary-a', 'ams', VPC_A, 12);
  const temporaryB = churnPod('pod-temporary-b', 'sjc', VPC_B, 22);
  const [bSjc] = isolatedPods as [PodSpec];

  /** Words in an `ip monitor` line that name a pod's own state: addresses, SID, links, VRF table on its node. */
  async function ownMarks(pod: PodSpec): Promise<Array<{ node?: string; mark: string }>> {
    const sid = encodeSid(parseSrv6Net(lab.node(pod.node).srv6Net), { vpc: pod.vpc, attachment: pod.attachment });
    const vrf = vrfName(pod.vpc, pod.attachment);
    const table = [...(await vrfTables(pod.node))].find(([, name]) => name === vrf)?.[0];
    if (table === undefined) throw new Error(`no VRF ${vrf} of ${pod.pod} on ${pod.node}`);
    return [
      ...pod.addresses.map((address) => ({ mark: address.split('/')[0]! })),
      { mark: sid },
      { mark: vrf },
      { mark: hostVethName(pod.vpc, pod.attachment) },
      { node: pod.node, mark: `table ${table}` },
    ];
  }

  /** Segment lists of the nexthops that routes outside the churned pods' VRFs use on a node. */
  async function keptSegments(node: string, churnMarks: string[]): Promise<Set<string>> {
    const json = async (args: string): Promise<Array<Record<string, unknown>>> => {
      const out = await lab.sh(`ip -n ${node} -j ${args}`);
      return out.trim() === '' ? [] : (JSON.parse(out) as Array<Record<string, unknown>>);
    };
    const nexthops = new Map([...(await json('-4 nexthop')), ...(await json('-6 nexthop'))].map((n) => [n.id, JSON.stringify(n.segs)]));
    const routes = [...(await json('-4 route show table all')), ...(await json('-6 route show table all'))];
    return new Set(
      routes
        .filter((route) => route.nhid !== undefined && !churnMarks.includes(`table ${String(route.table)}`))
        .map((route) => nexthops.get(route.nhid))
        .filter((segs) => segs !== undefined),
    );
  }

  const mentions = (line: string, mark: string): boolean => ` ${line.replaceAll(/[[\]/]/g, ' ')} `.includes(` ${mark} `);

  it('faults: with 20 % of PUBLISH packets dropped and 5 % duplicated while pods come and go, every kernel converges to the expected state once the line is clean, and no kept route is ever removed', async () => {
    proxy = await LabFaultProxy.start(lab, { port: PROXY_PORT, rates: LOSSY, seed: PROXY_SEED, log: (line) => log.push(line) });
    const settled = await snapshots();
    // Back on its SQLite file (as up to date as PostgreSQL): through the port relay each PostgreSQL query
    // takes long enough under TCG that the router falls minutes behind the agents' summaries.
    await lab.stopRouter();
    await lab.startRouter(throughProxy);
    for (const node of NODES) {
      await lab.stopAgent(node);
      await lab.startAgent(node, throughProxy);
    }
    await waitForState(snapshots, settled, 'kernel state with every client behind the proxy to equal the state before');

    let monitors: Array<Awaited<ReturnType<typeof watchRemovals>>> = [];
    try {
      // The expected state: the pods kept at the end, added on a clean line.
      for (const pod of [keptA, bouncedA, bouncedB]) await addPod(lab, pod);
      for (const [a, b] of [[keptA, sjc], [bouncedA, ams], [bouncedB, bSjc]] as const) {
        for (const family of [4, 6] as const) {
          await expectReachable(lab, a.pod, addressOf(b, family));
          await expectReachable(lab, b.pod, addressOf(a, family));
        }
      }
      const expected = await settledState(comparableSnapshots);

      const churnMarks = await Promise.all([bouncedA, bouncedB].map(ownMarks));
      const marksOn = (node: string): string[] => churnMarks.flat().filter((m) => m.node === undefined || m.node === node).map((m) => m.mark);
      const kept = Object.fromEntries(
        await Promise.all(NODES.map(async (node) => [node, await keptSegments(node, marksOn(node))] as const)),
      );
      /** A removal that is not churn: not of a churned pod's own state, and not of a nexthop only churned pods' routes used. */
      const isFlap = (node: string, line: string): boolean => {
        if (marksOn(node).some((mark) => mentions(line, mark))) return false;
        const segs = /^Deleted id \d+ .*segs \d+ \[ (.+?) \]/.exec(line)?.[1];
        return segs === undefined || kept[node]!.has(JSON.stringify(segs.split(' ')));
      };
      monitors = await Promise.all(NODES.map((node) => watchRemovals(node)));
      await proxy.faulty();
      const add = async (pod: PodSpec): Promise<void> => {
        await addPod(lab, pod);
        churnMarks.push(await ownMarks(pod));
      };
      await add(temporaryA);
      await add(temporaryB);
      await removePod(lab, bouncedA);
      await removePod(lab, bouncedB);
      await add(bouncedA);
      await add(bouncedB);
      await removePod(lab, temporaryA);
      await removePod(lab, temporaryB);
      const stats = await proxy.clean();
      log.push(`fault proxy: ${JSON.stringify(stats)}`);
      expect(stats.dropped, 'PUBLISH packets dropped').to.be.above(0);
      expect(stats.duplicated, 'PUBLISH packets duplicated').to.be.above(0);

      await waitForState(comparableSnapshots, expected, 'kernel state once the line is clean to equal the expected state');
      for (const [a, b] of [[bouncedA, ams], [bouncedB, bSjc]] as const) await expectReachable(lab, b.pod, addressOf(a, 6));
      for (const monitor of monitors) {
        const flaps = (await monitor.removals()).filter((line) => isFlap(monitor.node, line));
        expect(flaps, `removals on ${monitor.node} of what stayed expected`).to.deep.equal([]);
      }
    } finally {
      for (const monitor of monitors) await monitor.stop();
      // DEL is idempotent: also for pods a failure left behind or never added.
      for (const pod of [keptA, bouncedA, bouncedB, temporaryA, temporaryB]) await removePod(lab, pod);
    }
  });

  it('faults: registrations made after the restarts still propagate', async () => {
    await expectNewRegistrationPropagates();
  });

  it('teardown: after DEL of everything no Galactic kernel state remains on any node', async () => {
    const everyone: Array<[PodSpec, string]> = [
      [sjc, 'sjc'], [iad, 'ams'], [ams, 'ams'], [sameNodePod, 'sjc'],
      ...isolatedPods.map((p) => [p, p.node] as [PodSpec, string]),
    ];
    for (const [pod, node] of everyone) await removePod(lab, pod, node);
    const empty: KernelSnapshot = { links: [], routes: [], nexthops: [], proxies: [], forward: [] };
    for (const node of NODES) {
      await waitFor(async () => JSON.stringify(await lab.kernelState(node)) === JSON.stringify(empty), {
        what: `${node} to hold no Galactic state`,
        timeoutMs: 60_000,
        intervalMs: 250,
      }).catch(async (error: Error) => {
        expect(await lab.kernelState(node), error.message).to.deep.equal(empty);
      });
    }
  });
});
