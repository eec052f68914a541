// `galactic operator --install-crds crds/` on an API server without the CRDs,
// and an API server whose VPCAttachment CRD has no selectableFields (as on
// Kubernetes before 1.31): allocation falls back to listing all attachments.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import type { OperatorHandle } from '../main.js';
import { counterTotal } from '../metrics.js';
import type { VpcAttachment } from '../model.js';
import { type TestCluster, repoPath, startTestCluster, startTestOperator, waitFor } from '../testing.js';

describe('operator CRD installation and older API servers', function () {
  this.timeout(90_000);
  let cluster: TestCluster | undefined;
  let operator: OperatorHandle | undefined;
  const samplesReady = () =>
    waitFor(
      async () => {
        const items = (await cluster!.getJson<{ items: VpcAttachment[] }>('vpcattachments', '-n', 'default')).items;
        return items.length === 3 && items.every((a) => a.status?.ready) ? items : undefined;
      },
      { what: 'the sample attachments to become ready', timeoutMs: 30_000 },
    );

  afterEach(async () => {
    await operator?.stop();
    await cluster?.stop();
    operator = cluster = undefined;
  });

  it('applies the CRDs itself with --install-crds, complete with selectableFields', async () => {
    cluster = await startTestCluster({ crds: false });
    operator = await startTestOperator(cluster, { installCrdsDir: repoPath('crds') });
    // startOperator returns before it has synced; the CRDs appear shortly after.
    const crd = await waitFor(
      () => cluster!.getJson<{ spec: { versions: Array<{ selectableFields?: unknown }> } }>('crd', 'vpcattachments.galactic.datumapis.com'),
      { what: 'the operator to install the CRDs', timeoutMs: 30_000 },
    );
    expect(crd.spec.versions[0]!.selectableFields).to.deep.equal([{ jsonPath: '.spec.vpc.name' }]);
    await cluster.kubectl('apply', '-f', repoPath('samples'));
    await samplesReady();
  });

  it('allocates without the spec.vpc.name field selector when the API server lacks it', async () => {
    cluster = await startTestCluster({ crds: false });
    const crd = parse(await readFile(repoPath('crds', 'vpcattachments.galactic.datumapis.com.yaml'), 'utf8'));
    delete crd.spec.versions[0].selectableFields;
    await cluster.kubectlIn(stringify(crd), 'apply', '-f', '-');
    const others = ['vpcs', 'vpcaddresses', 'vpcendpoints'].map((plural) => `${plural}.galactic.datumapis.com.yaml`);
    await cluster.kubectl('apply', ...[...others, 'network-attachment-definitions.k8s.cni.cncf.io.yaml'].flatMap((file) => ['-f', repoPath('crds', file)]));
    await cluster.kubectl('wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all');
    operator = await startTestOperator(cluster);
    await cluster.kubectl('apply', '-f', repoPath('samples'));
    const items = await samplesReady();
    expect(new Set(items.map((a) => a.status!.identifier)).size).to.equal(3);
    expect(operator.controllers()!.context.selectByVpc).to.equal(false);
  });

  it('stops promptly while its controllers still wait for CRDs that do not exist', async () => {
    cluster = await startTestCluster({ crds: false });
    const started = await startTestOperator(cluster);
    operator = started;
    // The watches are failing (no such resource) and retrying.
    await waitFor(async () => (await counterTotal(started.metrics.requests)) > 0, { what: 'the first list attempt', timeoutMs: 10_000 });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      started.stop().then(() => 'stopped'),
      new Promise((resolve) => (timer = setTimeout(() => resolve('still running after 10 s'), 10_000))),
    ]);
    clearTimeout(timer);
    expect(outcome).to.equal('stopped');
    expect(started.controllers()).to.equal(undefined);
  });
});
