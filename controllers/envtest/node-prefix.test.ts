// Node srv6_net allocation (--srv6-pool) against a real API server: every
// Node gets a unique prefix recorded as an annotation, a hand-set one is kept,
// nothing changes across an operator restart, a deleted Node's prefix is
// reused, and an administrator writing between the operator's list and its
// write wins (the write is conditional on the Node's resourceVersion).
import { expect } from 'chai';
import { stringify } from 'yaml';
import type { Kube } from '../kube.js';
import type { OperatorHandle } from '../main.js';
import { SRV6_NET_ANNOTATION, parseSrv6Pool } from '../srv6-pool.js';
import { type TestCluster, startTestCluster, startTestOperator, waitFor } from '../testing.js';

const srv6Pool = parseSrv6Pool('2001:db8:ff00::/40', 48);
const nodeYaml = (name: string, srv6Net?: string) =>
  stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, ...(srv6Net ? { annotations: { [SRV6_NET_ANNOTATION]: srv6Net } } : {}) } });

describe('node srv6_net allocation on a real API server', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let operator: OperatorHandle | undefined;
  const prefixes = async (): Promise<Record<string, string | undefined>> => {
    const nodes = (await cluster.getJson<{ items: Array<{ metadata: { name: string; annotations?: Record<string, string> } }> }>('nodes')).items;
    return Object.fromEntries(nodes.map((n) => [n.metadata.name, n.metadata.annotations?.[SRV6_NET_ANNOTATION]]));
  };
  const allAssigned = async () => Object.values(await prefixes()).every((p) => p !== undefined);
  const addNodes = async (...docs: string[]) => cluster.kubectlIn(docs.join('---\n'), 'create', '-f', '-');

  before(async () => {
    cluster = await startTestCluster();
  });
  afterEach(async () => {
    await operator?.stop();
    operator = undefined;
    await cluster.kubectl('delete', 'nodes', '--all', '--wait=true');
  });
  after(async () => {
    await cluster?.stop();
  });

  it('gives each node a unique /48, keeps a hand-set one, changes nothing on restart, reuses a freed prefix', async () => {
    await addNodes(nodeYaml('node-b'), nodeYaml('node-a', '2001:db8:ff00::/48'), nodeYaml('node-c'));
    operator = await startTestOperator(cluster, { srv6Pool });
    await waitFor(allAssigned, { what: 'every node to have an srv6_net' });
    expect(await prefixes()).to.deep.equal({ 'node-a': '2001:db8:ff00::/48', 'node-b': '2001:db8:ff01::/48', 'node-c': '2001:db8:ff02::/48' });

    await operator.stop();
    operator = await startTestOperator(cluster, { srv6Pool: parseSrv6Pool('2001:db8:ee00::/40', 48) });
    await addNodes(nodeYaml('node-d'));
    await waitFor(allAssigned, { what: 'the new node to have an srv6_net' });
    // Another pool now: existing nodes keep theirs, only the new node gets one from it.
    expect(await prefixes()).to.deep.equal({
      'node-a': '2001:db8:ff00::/48',
      'node-b': '2001:db8:ff01::/48',
      'node-c': '2001:db8:ff02::/48',
      'node-d': '2001:db8:ee00::/48',
    });

    await operator.stop();
    operator = await startTestOperator(cluster, { srv6Pool });
    await cluster.kubectl('delete', 'node', 'node-b', '--wait=true');
    await addNodes(nodeYaml('node-e'));
    await waitFor(allAssigned, { what: 'the replacement node to have an srv6_net' });
    expect((await prefixes())['node-e']).to.equal('2001:db8:ff01::/48');
  });

  it('an administrator annotating a node while the operator decides wins', async () => {
    await addNodes(nodeYaml('node-x'));
    let interleaved = false;
    const interpose = (kube: Kube): Kube => ({
      ...kube,
      nodes: {
        ...kube.nodes,
        annotate: async (name, resourceVersion, annotations) => {
          if (!interleaved) {
            interleaved = true;
            await cluster.kubectl('annotate', 'node', name, `${SRV6_NET_ANNOTATION}=2001:db8:abcd::/48`);
          }
          return kube.nodes.annotate(name, resourceVersion, annotations);
        },
      },
    });
    operator = await startTestOperator(cluster, { srv6Pool, interpose });
    await waitFor(async () => interleaved && (await allAssigned()), { what: 'node-x to have an srv6_net' });
    expect(await prefixes()).to.deep.equal({ 'node-x': '2001:db8:abcd::/48' });
    // The operator did write, on the version it had listed: the API server refused it.
    const patches = (await operator.metrics.requests.get()).values.filter((v) => v.labels.resource === 'nodes' && v.labels.verb === 'patch');
    expect(patches.reduce((sum, v) => sum + v.value, 0)).to.equal(1);
  });
});
