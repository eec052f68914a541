// The agent's Node adapter against a real API server (hack/envtest): it waits
// for its node's srv6_net annotation, reads every node's prefix and InternalIP
// addresses, and notices Node changes through its watch.
import { expect } from 'chai';
import { stringify } from 'yaml';
import { type TestCluster, startTestCluster } from '../controllers/testing.js';
import { SRV6_NET_ANNOTATION } from '../lib/kube-nodes.js';
import { memoryLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import { awaitNodeSrv6Net, kubeNodeSource, underlayRoutes } from './nodes.js';

describe('agent: Nodes from a real API server', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  const node = (name: string) => stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  const setAddress = (name: string, address: string) =>
    cluster.kubectl('patch', 'node', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { addresses: [{ type: 'InternalIP', address }, { type: 'Hostname', address: name }] } }));

  before(async () => {
    cluster = await startTestCluster({ crds: false });
    await cluster.kubectlIn([node('sjc'), node('iad')].join('---\n'), 'create', '-f', '-');
    await setAddress('sjc', '2001:db8:100::1');
    await setAddress('iad', '2001:db8:100::2');
  });
  after(async () => cluster?.stop());

  it('waits for its node\'s srv6_net, naming how to set it, and returns it once set', async () => {
    const nodes = kubeNodeSource(cluster.api.kubeconfigPath);
    const logger = memoryLogger('agent');
    let resolved: string | undefined;
    const waiting = awaitNodeSrv6Net(nodes, 'sjc', logger, { intervalMs: 50 }).then((value) => (resolved = value));
    await waitFor(() => logger.lines.some((l) => String(l.msg).includes(`node sjc has no ${SRV6_NET_ANNOTATION} yet`)), { what: 'the waiting warning' });
    expect(resolved).to.equal(undefined);
    expect(JSON.stringify(logger.lines)).to.contain(`kubectl annotate node sjc ${SRV6_NET_ANNOTATION}=`);
    await cluster.kubectl('annotate', 'node', 'sjc', `${SRV6_NET_ANNOTATION}=2001:db8:ff01::/48`);
    expect(await waiting).to.equal('2001:db8:ff01::/48');
  });

  it('lists every node\'s prefix and address, and its watch fires on a change', async () => {
    const nodes = kubeNodeSource(cluster.api.kubeconfigPath);
    let events = 0;
    const watching = nodes.changes().subscribe(() => events++);
    try {
      await waitFor(() => events >= 2, { what: 'the watch to start (one ADDED per node)' });
      await cluster.kubectl('annotate', 'node', 'iad', `${SRV6_NET_ANNOTATION}=2001:db8:ff02::/48`);
      await waitFor(() => events >= 3, { what: 'the watch to report the annotation' });
    } finally {
      watching.unsubscribe();
    }
    expect(underlayRoutes('sjc', await nodes.list())).to.deep.equal({ routes: [{ prefix: '2001:db8:ff02::/48', via: '2001:db8:100::2' }], unreachable: [] });
    expect(await nodes.get('absent')).to.equal(undefined);
  });
});
