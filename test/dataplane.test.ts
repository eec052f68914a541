// End to end on a real kernel with VRF and SRv6: three nodes (SJC, IAD, AMS)
// running the agent, the router and a broker, pods attached by invoking the
// CNI plugin executable as a runtime does. Steps run in order and build on
// each other, like an operator's day.
import { expect } from 'chai';
import { type KernelHost, startKernelHost } from '../hack/kernel/index.js';
import { Lab, type KernelSnapshot } from '../hack/lab/lab.js';
import { waitFor } from '../lib/wait.js';
import { addPod, expectReachable, galacticExecutable, removePod } from './support/datapath.js';
import { type PodSpec, addressOf, isolatedPods, sameNodePod, seedPods } from './support/seed.js';

const NODES = ['sjc', 'iad', 'ams'];
const [sjc, iad, ams] = seedPods as [PodSpec, PodSpec, PodSpec];

describe('data path on a real kernel (three PoPs)', function () {
  this.timeout(20 * 60_000);
  let host: KernelHost;
  let lab: Lab;
  const log: string[] = [];

  before(async () => {
    try {
      const galactic = galacticExecutable();
      host = await startKernelHost({ log: (line) => log.push(line) });
      lab = await Lab.create({ host, nodes: NODES, galactic: [galactic], log: (line) => log.push(line) });
      await lab.startBroker();
      await lab.startRouter();
      for (const node of NODES) await lab.startAgent(node);
    } catch (error) {
      console.log(log.slice(-80).join('\n'));
      throw error;
    }
  });

  after(async () => {
    await lab?.teardown();
    await host?.close();
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

  // Each fault class in turn (issue 8): the control plane converges by anti-entropy, never through a removal.
  for (const [fault, restart] of [
    ['agent', async () => { await lab.stopAgent('sjc', 'SIGKILL'); await lab.startAgent('sjc'); }],
    ['router', async () => { await lab.stopRouter('SIGKILL'); await lab.startRouter(); }],
    ['broker', async () => { await lab.stopBroker('SIGKILL'); await lab.startBroker(); }],
  ] as const) {
    it(`faults: killing and restarting the ${fault} removes nothing from any kernel (ip monitor) and recovers connectivity`, async () => {
      const before = await snapshots();
      const monitors = await Promise.all(NODES.map((node) => watchRemovals(node)));
      try {
        await restart();
        await waitFor(async () => JSON.stringify(await snapshots()) === JSON.stringify(before), {
          what: `kernel state after the ${fault} restart to equal the state before`,
          timeoutMs: 120_000,
          intervalMs: 500,
        }).catch(async (error: Error) => {
          expect(await snapshots(), error.message).to.deep.equal(before);
        });
        await expectReachable(lab, sjc.pod, addressOf(ams, 4));
        await expectReachable(lab, ams.pod, addressOf(sjc, 6));
        // Everything the agents own was expected before and after: any removal was a flap.
        for (const monitor of monitors) expect(await monitor.removals(), `removals on ${monitor.node} during the ${fault} fault`).to.deep.equal([]);
      } finally {
        for (const monitor of monitors) await monitor.stop();
      }
    });
  }

  it('faults: registrations made after the restarts still propagate', async () => {
    const late: PodSpec = { ...sameNodePod, pod: 'pod-ams-late', node: 'ams', attachment: 5n, addresses: ['10.1.1.5/24', '2001:10:1:1::5/64'] };
    await addPod(lab, late);
    await expectReachable(lab, sjc.pod, '10.1.1.5');
    await removePod(lab, late);
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
