// Pool attachments on real nodes (issue 9): SJC, IAD and AMS are kubelet
// nodes (containerd, kubelet, real Multus; hack/node) in one qemu guest, with
// kube-scheduler and kube-controller-manager on the host. The sample
// Deployment of six replicas names the template attachment `web`: the
// scheduler spreads them two per node, the operator's webhook gives each its
// addresses and endpoint identifier, kubelet → Multus → galactic attaches them.
// Every replica reaches every other in both families; scaling to two removes
// the other four from every kernel and from the router, garbage collection
// frees their reservations, and scaling back to six connects all again.
// The agents and the router are lab processes, not pods.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { RESERVATION_GRACE_MS } from '../controllers/reservation-controller.js';
import { repoPath } from '../controllers/testing.js';
import { NODE_IMAGE } from '../hack/node/images.js';
import { ROUTER_METRICS_PORT } from '../hack/lab/lab.js';
import { parseNetworksAnnotation } from '../hack/lab/multus.js';
import { NODES } from '../hack/stack.js';
import { fromBase62 } from '../lib/identifiers.js';
import { parseLinkName } from '../lib/names.js';
import { waitFor } from '../lib/wait.js';
import { type KubeletStack, type PodJson, isReady } from '../hack/node/kubelet-stack.js';
import { useKubeletStack } from './support/stack.js';

const NETWORKS = 'k8s.v1.cni.cncf.io/networks';

interface Replica {
  name: string;
  node: string;
  /** Without prefix length, one per family. */
  addresses: string[];
  /** Endpoint identifier, as the kernel's link names carry it. */
  endpoint: bigint;
}

interface ReservationJson {
  metadata: { ownerReferences?: Array<{ kind: string; name: string }> };
  spec: { pod?: string; address?: string; endpoint: string };
}

/** The sample Deployment on the nodes' local image (never pulled), stopping at once when scaled down. */
async function sampleDeployment(): Promise<string> {
  const deployment = parse(await readFile(repoPath('samples', 'ipam', 'deployment.yaml'), 'utf8')) as {
    spec: { template: { spec: { terminationGracePeriodSeconds?: number; containers: Array<Record<string, unknown>> } } };
  };
  const pod = deployment.spec.template.spec;
  pod.terminationGracePeriodSeconds = 1;
  pod.containers = pod.containers.map((c) => ({ ...c, image: NODE_IMAGE, imagePullPolicy: 'Never', command: ['sleep', '2147483647'] }));
  return stringify(deployment);
}

describe('full stack on real kubelet nodes SJC, IAD, AMS: a Deployment of six replicas of a pool attachment (agents and router as lab processes)', function () {
  this.timeout(30 * 60_000);
  const running = useKubeletStack(() => ({ kubeletNodes: NODES }));
  let kube: KubeletStack;
  before(() => {
    kube = running.current();
  });

  const pods = async () => (await kube.stack.cluster.getJson<{ items: PodJson[] }>('pods', '-n', 'default', '-l', 'app=web')).items;
  const ready = (pod: PodJson) => !pod.metadata.deletionTimestamp && isReady(pod);

  /** Waits for exactly `count` replicas, all Ready and none terminating, and reads what each was given. */
  async function replicasReady(count: number): Promise<Replica[]> {
    const started = Date.now();
    const current = await waitFor(
      async () => {
        const all = await pods();
        return all.length === count && all.every(ready) && all;
      },
      { what: `${count} web replicas Ready and no others`, timeoutMs: 15 * 60_000, intervalMs: 1000 },
    );
    console.log(`      ${count} replicas Ready ${Math.round((Date.now() - started) / 1000)} s after the change`);
    return current.map((pod) => {
      const [selection] = parseNetworksAnnotation(pod.metadata.annotations?.[NETWORKS] ?? '');
      const endpoint = selection?.['cni-args']?.vpcattachment;
      if (!selection?.ips || typeof endpoint !== 'string') throw new Error(`pod ${pod.metadata.name} has no allocation in ${NETWORKS}`);
      return { name: pod.metadata.name, node: pod.spec.nodeName ?? '', addresses: selection.ips.map((ip) => ip.split('/')[0]!), endpoint: fromBase62(endpoint) };
    });
  }

  async function expectAllConnected(replicas: Replica[]): Promise<void> {
    await Promise.all(
      replicas.map(async (from) => {
        for (const to of replicas) {
          if (to === from) continue;
          for (const address of to.addresses) {
            await waitFor(() => kube.pingFromPod(from, address), { what: `${from.name} on ${from.node} reaching ${to.name} on ${to.node} at ${address}`, timeoutMs: 120_000, intervalMs: 500 });
          }
        }
      }),
    );
  }

  const scale = (replicas: number) => kube.stack.cluster.kubectl('scale', 'deployment', 'web', '-n', 'default', `--replicas=${replicas}`);
  const reservations = async (plural: 'vpcaddresses' | 'vpcendpoints') => (await kube.stack.cluster.getJson<{ items: ReservationJson[] }>(plural, '-n', 'default')).items;
  /** The networks the router tells a node's agent to route (its /state for that worker). */
  const routerNetworks = async (node: string) => {
    const out = await kube.stack.host.exec(['curl', '-sf', '--max-time', '10', `http://127.0.0.1:${ROUTER_METRICS_PORT}/state?worker=${node}`]);
    if (out.code !== 0) throw new Error(`router /state?worker=${node}: ${out.stderr}`);
    return (JSON.parse(out.stdout) as { routes: Array<{ network: string }> }).routes.map((route) => route.network);
  };
  const mentions = (text: string, address: string) => text.includes(` ${address}/`) || text.includes(` ${address} `) || text.startsWith(`${address}/`);

  let six: Replica[] = [];

  it('the scheduler spreads the six replicas two per node; each gets its own addresses and endpoint, and every replica reaches every other in both families', async () => {
    const { cluster } = kube.stack;
    await cluster.kubectl('apply', '-f', repoPath('samples', 'vpc.yaml'), '-f', repoPath('samples', 'ipam', 'attachment.yaml'));
    await waitFor(async () => (await cluster.getJson<{ status?: { ready?: boolean } }>('vpcattachment', 'web', '-n', 'default')).status?.ready, {
      what: 'the web attachment to become ready',
      timeoutMs: 60_000,
    });
    await cluster.kubectlIn(await sampleDeployment(), 'apply', '-f', '-');
    six = await replicasReady(6);

    expect(six.map((r) => r.node).sort()).to.deep.equal([...NODES, ...NODES].sort());
    expect(new Set(six.flatMap((r) => r.addresses)).size, 'distinct addresses').to.equal(12);
    expect(new Set(six.map((r) => r.endpoint)).size, 'distinct endpoint ids').to.equal(6);
    await waitFor(
      async () => {
        const held = [...(await reservations('vpcaddresses')), ...(await reservations('vpcendpoints'))];
        const owners = held.map((r) => r.metadata.ownerReferences?.find((ref) => ref.kind === 'Pod')?.name);
        return held.length === 6 * 3 && owners.every((owner) => six.some((r) => r.name === owner));
      },
      { what: 'every reservation owned by its replica (what garbage collection follows)', timeoutMs: 60_000, intervalMs: 500 },
    );
    for (const replica of six) {
      const links = (await kube.stack.lab.kernelState(replica.node)).links.map(parseLinkName);
      expect(links.some((link) => link?.attachment === replica.endpoint), `${replica.name}'s links on ${replica.node}`).to.equal(true);
    }
    await expectAllConnected(six);
  });

  it('scaling to two removes the other four from every kernel and the router, garbage collection frees their reservations, and the two left still reach each other', async () => {
    expect(six, 'the first test placed six replicas').to.have.length(6);
    await scale(2);
    const two = await replicasReady(2);
    const removed = six.filter((r) => !two.some((left) => left.name === r.name));
    expect(removed).to.have.length(4);
    const gone = removed.flatMap((r) => r.addresses);
    // the pods own them: kube-controller-manager's garbage collector frees them; the
    // operator's own sweep would wait RESERVATION_GRACE_MS after noticing a pod gone
    await waitFor(
      async () => {
        const held = [...(await reservations('vpcaddresses')), ...(await reservations('vpcendpoints'))];
        return held.length === 2 * 2 + 2 && !held.some((r) => removed.some((gonePod) => gonePod.name === r.spec.pod));
      },
      { what: 'garbage collection freeing the removed replicas’ VPCAddresses and VPCEndpoints', timeoutMs: RESERVATION_GRACE_MS, intervalMs: 500 },
    );

    for (const node of NODES) {
      await waitFor(
        async () => {
          const state = await kube.stack.lab.kernelState(node);
          const links = state.links.map(parseLinkName);
          return !state.routes.some((route) => gone.some((address) => mentions(route, address))) && !links.some((link) => removed.some((r) => r.endpoint === link?.attachment));
        },
        { what: `the removed replicas' routes and links leaving ${node}'s kernel`, timeoutMs: 120_000, intervalMs: 500 },
      );
      await waitFor(async () => !(await routerNetworks(node)).some((network) => gone.some((address) => mentions(network, address))), {
        what: `the router no longer routing the removed replicas to ${node}`,
        timeoutMs: 60_000,
        intervalMs: 500,
      });
    }
    await expectAllConnected(two);
  });

  it('scaling back to six connects all again', async () => {
    await scale(6);
    const again = await replicasReady(6);
    expect(again.map((r) => r.node).sort()).to.deep.equal([...NODES, ...NODES].sort());
    expect(new Set(again.flatMap((r) => r.addresses)).size).to.equal(12);
    expect(new Set(again.map((r) => r.endpoint)).size).to.equal(6);
    await expectAllConnected(again);
  });
});
