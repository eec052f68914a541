// Helpers for the controllers' integration tests: a real kube-apiserver from
// hack/envtest with our CRDs installed, kubectl against it, and operators
// started in this process or as `galactic operator` child processes.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { startControllerManager } from '../hack/envtest/controlplane.js';
import { type ApiServer, startApiServer } from '../hack/envtest/envtest.js';
import { createLogger } from '../lib/log.js';
import { waitFor } from '../lib/wait.js';
import { type OperatorConfig, type OperatorHandle, startOperator } from './main.js';

const run = promisify(execFile);
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoPath = (...parts: string[]): string => path.join(REPO, ...parts);

/**
 * With Debian's etcd 3.4 the apiserver's watch cache never learns that time
 * moved on for a quiet resource (etcd sends no progress notifications), so
 * watches without a resourceVersion answer "Too large resource version" after
 * 3 s. Serving watches straight from etcd avoids it; hack/envtest can instead
 * run etcd with --experimental-watch-progress-notify-interval.
 */
export const APISERVER_FLAGS = ['--watch-cache=false'];

export interface TestCluster {
  api: ApiServer;
  kubectl(...args: string[]): Promise<string>;
  /** kubectl with stdin. */
  kubectlIn(input: string, ...args: string[]): Promise<string>;
  getJson<T>(...args: string[]): Promise<T>;
  stop(): Promise<void>;
}

export class KubectlError extends Error {
  constructor(readonly stderr: string) {
    super(stderr.trim());
    this.name = 'KubectlError';
  }
}

/** `controllers`: also kube-controller-manager with these (e.g. `['garbagecollector', 'namespace']`). */
export async function startTestCluster({ crds = true, controllers }: { crds?: boolean; controllers?: string[] } = {}): Promise<TestCluster> {
  const api = await startApiServer({ apiServerFlags: APISERVER_FLAGS });
  const controllerManager = controllers?.length ? startControllerManager(api, controllers) : undefined;
  const stop = async () => {
    await controllerManager?.stop();
    await api.stop();
  };
  const base = ['--kubeconfig', api.kubeconfigPath];
  const kubectl = async (...args: string[]) => {
    try {
      return (await run('kubectl', [...base, ...args], { maxBuffer: 64 << 20 })).stdout;
    } catch (error) {
      throw new KubectlError((error as { stderr?: string }).stderr ?? String(error));
    }
  };
  const kubectlIn = (input: string, ...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile('kubectl', [...base, ...args], { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
        error ? reject(new KubectlError(stderr || String(error))) : resolve(stdout),
      );
      child.stdin?.end(input);
    });
  const cluster: TestCluster = {
    api,
    kubectl,
    kubectlIn,
    getJson: async <T>(...args: string[]) => JSON.parse(await kubectl('get', ...args, '-o', 'json')) as T,
    stop,
  };
  try {
    await kubectl('create', 'namespace', 'galactic-system');
    if (crds) await installCrds(cluster);
  } catch (error) {
    await stop();
    throw error;
  }
  return cluster;
}

export async function installCrds(cluster: TestCluster): Promise<void> {
  await cluster.kubectl('apply', '-f', repoPath('crds'));
  await cluster.kubectl('wait', '--for=condition=Established', '--timeout=60s', '-f', repoPath('crds'));
}

export const testLogger = () => createLogger('operator', { level: process.env.TEST_LOG === '1' ? 'debug' : 'error' });

/** An operator in this process; leader election off unless asked for. */
export function startTestOperator(cluster: TestCluster, config: Partial<OperatorConfig> = {}): Promise<OperatorHandle> {
  return startOperator({
    kubeconfigPath: cluster.api.kubeconfigPath,
    mtu: 1372,
    namespace: 'galactic-system',
    leaderElect: false,
    leaseName: 'galactic-operator',
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 250,
    identity: 'test-operator',
    resyncIntervalMs: 60_000,
    logger: testLogger(),
    ...config,
  });
}

/** Writes a webhook serving certificate from the test CA; returns the file paths. */
export async function webhookCertFiles(cluster: TestCluster): Promise<{ certFile: string; keyFile: string }> {
  const { certPem, keyPem } = await cluster.api.issueServingCert(['127.0.0.1', 'localhost']);
  const certFile = path.join(cluster.api.dir, 'webhook.crt');
  const keyFile = path.join(cluster.api.dir, 'webhook.key');
  await writeFile(certFile, certPem);
  await writeFile(keyFile, keyPem, { mode: 0o600 });
  return { certFile, keyFile };
}

/**
 * Applies the shipped webhook configurations (deploy/operator/webhooks.yaml)
 * pointed at an operator on 127.0.0.1 with the test CA, and waits until the
 * API server calls them (it picks configurations up asynchronously).
 */
export async function registerWebhooks(cluster: TestCluster, webhookPort: number): Promise<void> {
  const url = `https://127.0.0.1:${webhookPort}`;
  const caBundle = Buffer.from(cluster.api.caCertPem).toString('base64');
  const configs = parseAllDocuments(await readFile(repoPath('deploy', 'operator', 'webhooks.yaml'), 'utf8')).map((doc) => {
    const config = doc.toJS() as { webhooks: Array<{ clientConfig: { service?: { path: string }; url?: string; caBundle?: string } }> };
    for (const webhook of config.webhooks) webhook.clientConfig = { url: url + webhook.clientConfig.service!.path, caBundle };
    return stringify(config);
  });
  await cluster.kubectlIn(configs.join('---\n'), 'apply', '-f', '-');
  const probe = stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'webhook-probe', namespace: 'default', annotations: { 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment': 'webhook-probe-missing' } },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
  });
  await waitFor(
    async () => {
      try {
        await cluster.kubectlIn(probe, 'create', '--dry-run=server', '-f', '-');
        return false;
      } catch (error) {
        return error instanceof KubectlError && error.stderr.includes('not found');
      }
    },
    { what: 'the webhook configurations to take effect', timeoutMs: 30_000 },
  );
}

export interface ChildOperator {
  process: ChildProcess;
  output: () => string;
  metricsUrl: string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `galactic operator ARGS` as a child process (logs kept for failure messages). */
export function spawnOperator(cluster: TestCluster, metricsPort: number, args: string[]): ChildOperator {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', repoPath('cli', 'galactic.ts'), 'operator', '--kubeconfig', cluster.api.kubeconfigPath, '--metrics-host', '127.0.0.1', '--metrics-port', String(metricsPort), ...args],
    { cwd: REPO, env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, exited };
}

/** Sum of a metric's samples in Prometheus text (optionally filtered by a label substring). */
export function metricSum(text: string, name: string, filter: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match && filter(match[1] ?? '')) sum += Number(match[2]);
  }
  return sum;
}

/** Write requests (create/update/patch/delete) other than on leases, from /metrics text. */
export const writesIn = (metricsText: string): number =>
  metricSum(metricsText, 'galactic_operator_api_requests_total', (labels) => /verb="(create|update|patch|delete)"/.test(labels) && !/resource="leases"/.test(labels));

export { waitFor };
