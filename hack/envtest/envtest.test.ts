import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { isPortOpen, startApiServer, waitFor, type ApiServer } from './envtest.js';

const run = promisify(execFile);

describe('hack/envtest: real kube-apiserver + etcd on 127.0.0.1', function () {
  this.timeout(180_000);
  let api: ApiServer;
  let webhook: https.Server | undefined;
  const kubectl = async (...args: string[]) =>
    (await run('kubectl', ['--kubeconfig', api.kubeconfigPath, ...args])).stdout;

  before(async () => {
    api = await startApiServer();
  });

  after(async () => {
    webhook?.close();
    await api?.stop();
  });

  it('serves kubectl: create namespace x, get it back', async () => {
    expect(api.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    await kubectl('create', 'namespace', 'x');
    const ns = JSON.parse(await kubectl('get', 'ns', 'x', '-o', 'json'));
    expect(ns.kind).to.equal('Namespace');
    expect(ns.metadata.name).to.equal('x');
    expect(ns.metadata.labels).to.include({ 'kubernetes.io/metadata.name': 'x' });
    expect(ns.status.phase).to.equal('Active');
  });

  it('calls a validating webhook served on 127.0.0.1 with a cert from the test CA', async () => {
    const { certPem, keyPem } = await api.issueServingCert();
    webhook = https.createServer({ cert: certPem, key: keyPem }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const review = JSON.parse(body);
        const allowed = review.request.name !== 'forbidden';
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({
          apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
          response: { uid: review.request.uid, allowed, status: allowed ? undefined : { code: 403, message: 'denied by test webhook' } },
        }));
      });
    });
    await new Promise<void>((resolve) => webhook!.listen(0, '127.0.0.1', resolve));
    const { port } = webhook.address() as AddressInfo;
    const config = {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'envtest-deny' },
      webhooks: [{
        name: 'deny.envtest.galactic.datumapis.com',
        clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: Buffer.from(api.caCertPem).toString('base64') },
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } },
        failurePolicy: 'Fail', sideEffects: 'None', admissionReviewVersions: ['v1'], timeoutSeconds: 5,
      }],
    };
    const file = path.join(api.dir, 'webhook.json');
    await writeFile(file, JSON.stringify(config));
    await kubectl('apply', '-f', file);

    // The apiserver picks the configuration up asynchronously: poll with a dry run.
    const message = await waitFor('the webhook to deny', async () => {
      try {
        await kubectl('-n', 'x', 'create', 'configmap', 'forbidden', '--dry-run=server');
        return undefined;
      } catch (err) {
        return String((err as { stderr?: string }).stderr ?? err);
      }
    }, { timeoutMs: 30_000 });
    expect(message).to.contain('denied by test webhook');
    await kubectl('-n', 'x', 'create', 'configmap', 'allowed');
  });

  it('stop() closes the ports and removes the temp dir', async () => {
    const etcdPort = Number(new URL(api.etcdUrl).port);
    expect(await isPortOpen(api.port)).to.equal(true);
    expect(await isPortOpen(etcdPort)).to.equal(true);
    await api.stop();
    expect(await isPortOpen(api.port)).to.equal(false);
    expect(await isPortOpen(etcdPort)).to.equal(false);
    expect(existsSync(api.dir)).to.equal(false);
    await api.stop(); // idempotent
  });
});
