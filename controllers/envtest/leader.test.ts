// Two `galactic operator` processes against one API server: only the lease
// holder writes; a leader that is killed is replaced after the lease expires,
// one that is stopped (SIGTERM) releases the lease and is replaced at once.
import { expect } from 'chai';
import type { V1Lease } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { freePorts } from '../../hack/envtest/envtest.js';
import { ATTACHMENTS } from '../context.js';
import { type Kube, NotLeaderError } from '../kube.js';
import type { OperatorHandle } from '../main.js';
import type { VpcAttachment } from '../model.js';
import { type ChildOperator, type TestCluster, repoPath, spawnOperator, startTestCluster, startTestOperator, waitFor, writesIn } from '../testing.js';

const metricValue = async (operator: OperatorHandle, name: string) =>
  (await operator.metrics.registry.getSingleMetric(name)!.get()).values[0]?.value;

const ELECTION = ['--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '250ms', '--resync-period', '5s'];

describe('leader election between two operator processes', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  const operators = new Map<string, ChildOperator>();

  const holder = async () => (await cluster.getJson<V1Lease>('lease', 'galactic-operator', '-n', 'galactic-system')).spec?.holderIdentity ?? '';
  const metrics = async (name: string) => (await fetch(operators.get(name)!.metricsUrl)).text();
  const start = async (name: string) => {
    const [port] = await freePorts(1);
    operators.set(name, spawnOperator(cluster, port!, ['--identity', name, ...ELECTION]));
    await waitFor(async () => (await fetch(operators.get(name)!.metricsUrl)).ok, { what: `${name} to serve /metrics`, timeoutMs: 30_000 });
  };
  const attachmentReady = (name: string) =>
    waitFor(async () => (await cluster.getJson<VpcAttachment>('vpcattachment', name, '-n', 'default')).status?.ready, {
      what: `${name} to become ready`,
      timeoutMs: 30_000,
    });
  const addAttachment = (name: string, address: string) =>
    cluster.kubectlIn(
      stringify({
        apiVersion: 'galactic.datumapis.com/v1alpha',
        kind: 'VPCAttachment',
        metadata: { name, namespace: 'default' },
        spec: { vpc: { name: 'vpc-sample' }, interface: { addresses: [address] } },
      }),
      'apply',
      '-f',
      '-',
    );

  before(async () => {
    cluster = await startTestCluster();
  });
  after(async () => {
    for (const operator of operators.values()) operator.process.kill('SIGKILL');
    await cluster?.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      for (const [name, operator] of operators) process.stderr.write(`--- ${name}\n${operator.output().slice(-4000)}\n`);
    }
  });

  it('only the leader writes', async () => {
    await start('alpha');
    await start('beta');
    const leader = await waitFor(holder, { what: 'a leader', timeoutMs: 20_000 });
    const follower = leader === 'alpha' ? 'beta' : 'alpha';
    await cluster.kubectl('apply', '-f', repoPath('samples'));
    for (const name of ['vpcattachment-sjc', 'vpcattachment-iad', 'vpcattachment-ams']) await attachmentReady(name);
    expect(await holder()).to.equal(leader);
    expect(writesIn(await metrics(leader)), `${leader} (leader) writes`).to.be.greaterThan(0);
    expect(writesIn(await metrics(follower)), `${follower} (follower) writes`).to.equal(0);
    expect(await metrics(leader)).to.match(/^galactic_operator_leader\{[^}]*\} 1$/m);
    expect(await metrics(follower)).to.match(/^galactic_operator_leader\{[^}]*\} 0$/m);
  });

  it('a killed leader is replaced once its lease expires, and the successor writes', async () => {
    const leader = await holder();
    const follower = leader === 'alpha' ? 'beta' : 'alpha';
    operators.get(leader)!.process.kill('SIGKILL');
    await operators.get(leader)!.exited;
    operators.delete(leader);
    await waitFor(async () => (await holder()) === follower, { what: `${follower} to take over`, timeoutMs: 20_000 });
    await addAttachment('after-failover', '10.1.1.10/24');
    await attachmentReady('after-failover');
    expect(writesIn(await metrics(follower))).to.be.greaterThan(0);
  });

  it('a leader stopped with SIGTERM releases the lease and exits 0; a new replica takes over', async () => {
    const leader = await holder();
    await start('gamma');
    const stopping = operators.get(leader)!;
    stopping.process.kill('SIGTERM');
    expect(await stopping.exited, 'exit code').to.equal(0);
    expect(stopping.output()).to.contain('released the lease');
    operators.delete(leader);
    // Released: no need to wait out the 3 s lease.
    await waitFor(async () => (await holder()) === 'gamma', { what: 'gamma to take over', timeoutMs: 10_000 });
    await addAttachment('after-handover', '10.1.1.11/24');
    await attachmentReady('after-handover');
    const ids = (await cluster.getJson<{ items: VpcAttachment[] }>('vpcattachments', '-n', 'default')).items.map((a) => a.status?.identifier);
    expect(new Set(ids).size, 'identifiers stay unique across leaders').to.equal(ids.length);
  });
});

describe('leader election: losing the lease', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let operator: OperatorHandle | undefined;

  before(async () => {
    cluster = await startTestCluster();
  });
  after(async () => {
    await operator?.stop();
    await cluster?.stop();
  });

  it('a leader whose lease is taken steps down: controllers stop and writes are refused', async () => {
    let guarded: Kube | undefined;
    operator = await startTestOperator(cluster, { leaderElect: true, identity: 'incumbent', interpose: (kube) => (guarded = kube) });
    await waitFor(() => operator!.controllers(), { what: 'the operator to lead', timeoutMs: 20_000 });
    expect(await metricValue(operator, 'galactic_operator_leader')).to.equal(1);
    // Take the lease (the incumbent renews it every 250 ms: retry on conflict).
    await waitFor(
      async () => {
        const lease = await cluster.getJson<V1Lease>('lease', 'galactic-operator', '-n', 'galactic-system');
        lease.spec = { ...lease.spec, holderIdentity: 'usurper', leaseDurationSeconds: 60, renewTime: new Date().toISOString().replace('Z', '000Z') as never };
        await cluster.kubectlIn(JSON.stringify(lease), 'replace', '-f', '-');
        return true;
      },
      { what: 'the usurper to take the lease', timeoutMs: 10_000 },
    );
    await waitFor(() => !operator!.isLeader() && operator!.controllers() === undefined, { what: 'the operator to step down', timeoutMs: 10_000 });
    expect(await metricValue(operator, 'galactic_operator_leader')).to.equal(0);
    // The operator's own API adapter now refuses writes.
    let refused: unknown;
    await guarded!.patchStatus(ATTACHMENTS, 'default', 'anything', {}).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(NotLeaderError);
  });
});
