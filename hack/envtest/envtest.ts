// A real etcd + kube-apiserver on 127.0.0.1 for tests (like controller-runtime's
// envtest). No controllers, scheduler or kubelet: controlplane.ts adds them (README.md).
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { binaries } from './binaries.js';
import { issueCert, newCa, newKeyPair, type CertPem } from './certs.js';
import { freePorts, LOOPBACK, waitFor } from './ports.js';
import { onProcessExit, startProc, type Proc } from './proc.js';

export { binaries, cacheDir, K8S_VERSION, MULTUS_VERSION, nodeBinary, type Binaries, type NodeBinaries } from './binaries.js';
export { issueCert, newCa, type CertPem, type CertRequest } from './certs.js';
export { freePorts, isPortOpen, waitFor } from './ports.js';

export interface StartOptions {
  /** Receives every line etcd and kube-apiserver print, prefixed with their name. */
  log?: (line: string) => void;
  /** How long to wait for etcd and the apiserver to become ready (default 120 s). */
  timeoutMs?: number;
  /** Extra kube-apiserver flags (`--name=value`), appended after the defaults. */
  apiServerFlags?: string[];
}

export interface ApiServer {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  etcdUrl: string;
  /** kubeconfig (JSON) for a client-certificate user in group system:masters. */
  kubeconfigPath: string;
  /** The test CA: the apiserver's client CA and the issuer of its serving cert. */
  caCertPem: string;
  caKeyPem: string;
  /** The admin client certificate (CN=envtest-admin, O=system:masters). */
  clientCertPem: string;
  clientKeyPem: string;
  /** Temp dir holding certs, kubeconfig and etcd data; removed by stop(). */
  dir: string;
  /** A serving cert from the test CA, e.g. for a webhook on 127.0.0.1. */
  issueServingCert(hosts?: string[]): Promise<CertPem>;
  /** Stops kube-apiserver and etcd and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

/** Starts etcd and kube-apiserver on free loopback ports; resolves once /readyz is ok. */
export async function startApiServer(opts: StartOptions = {}): Promise<ApiServer> {
  // Ports are picked free, then bound by the children: retry the rare lost race.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !/address already in use/i.test(String(err))) throw err;
    }
  }
}

async function startOnce(opts: StartOptions): Promise<ApiServer> {
  const bins = binaries();
  const timeoutMs = opts.timeoutMs ?? 120_000;
  // tmpfs keeps etcd's fsyncs cheap.
  const tmpBase = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = await mkdtemp(path.join(tmpBase, 'galactic-envtest-'));
  const unregisterDir = onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
  const procs: Proc[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const p of [...procs].reverse()) await p.stop();
      await rm(dir, { recursive: true, force: true });
      unregisterDir();
    })());

  try {
    const file = (name: string) => path.join(dir, name);
    const ca = await newCa();
    const serving = await issueCert(ca, {
      commonName: 'kube-apiserver', usage: 'server',
      dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'], ipAddresses: [LOOPBACK],
    });
    const admin = await issueCert(ca, { commonName: 'envtest-admin', organizations: ['system:masters'], usage: 'client' });
    const sa = newKeyPair();
    await Promise.all([
      writeFile(file('ca.crt'), ca.certPem),
      writeFile(file('ca.key'), ca.keyPem, { mode: 0o600 }),
      writeFile(file('apiserver.crt'), serving.certPem),
      writeFile(file('apiserver.key'), serving.keyPem, { mode: 0o600 }),
      writeFile(file('sa.key'), sa.keyPem, { mode: 0o600 }),
      writeFile(file('sa.pub'), sa.publicKeyPem),
    ]);

    const [etcdPort, peerPort, port] = (await freePorts(3)) as [number, number, number];
    const etcdUrl = `http://${LOOPBACK}:${etcdPort}`;
    const peerUrl = `http://${LOOPBACK}:${peerPort}`;
    const etcd = startProc('etcd', bins.etcd, [
      '--name=envtest', `--data-dir=${file('etcd')}`,
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=envtest=${peerUrl}`, '--logger=zap', '--log-level=warn',
    ], opts.log);
    procs.push(etcd);
    await waitFor('etcd /health', async () => {
      assertRunning(etcd);
      const res = await get(`${etcdUrl}/health`);
      return res?.status === 200 && /"health":\s*"true"/.test(res.body);
    }, { timeoutMs });

    const url = `https://${LOOPBACK}:${port}`;
    const apiserver = startProc('kube-apiserver', bins.kubeApiServer, [
      `--bind-address=${LOOPBACK}`, `--advertise-address=${LOOPBACK}`, `--secure-port=${port}`,
      `--etcd-servers=${etcdUrl}`, `--cert-dir=${dir}`,
      `--tls-cert-file=${file('apiserver.crt')}`, `--tls-private-key-file=${file('apiserver.key')}`,
      `--client-ca-file=${file('ca.crt')}`, '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${file('sa.pub')}`, `--service-account-signing-key-file=${file('sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24', '--allow-privileged=true',
      '--enable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook',
      '--disable-admission-plugins=ServiceAccount', '--profiling=false',
      '--endpoint-reconciler-type=none', // Endpoints may not hold 127.0.0.1: skip the 'kubernetes' ones
      ...(opts.apiServerFlags ?? []),
    ], opts.log);
    procs.push(apiserver);
    const tls = { ca: ca.certPem, cert: admin.certPem, key: admin.keyPem };
    await waitFor('kube-apiserver /readyz', async () => {
      assertRunning(apiserver);
      assertRunning(etcd);
      const res = await get(`${url}/readyz`, tls);
      return res?.status === 200;
    }, { timeoutMs });

    const kubeconfigPath = file('kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig(url, ca.certPem, admin), { mode: 0o600 });
    return {
      url, port, etcdUrl, kubeconfigPath, dir,
      caCertPem: ca.certPem, caKeyPem: ca.keyPem,
      clientCertPem: admin.certPem, clientKeyPem: admin.keyPem,
      issueServingCert: (hosts = [LOOPBACK, 'localhost']) => issueCert(ca, {
        commonName: hosts[0] ?? 'localhost', usage: 'server',
        ipAddresses: hosts.filter((h) => net.isIP(h)), dnsNames: hosts.filter((h) => !net.isIP(h)),
      }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function assertRunning(p: Proc): void {
  if (p.exitStatus !== undefined) {
    throw new Error(`envtest: ${p.name} ${p.exitStatus}; last output:\n${p.tail()}`);
  }
}

/** GET a URL; undefined while nothing answers (connection refused, TLS not up yet). */
function get(url: string, tls?: { ca: string; cert: string; key: string }): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const onRes = (res: http.IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    };
    const req = tls ? https.get(url, { ...tls, timeout: 5_000 }, onRes) : http.get(url, { timeout: 5_000 }, onRes);
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

function kubeconfig(server: string, caPem: string, user: CertPem): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'envtest',
    clusters: [{ name: 'envtest', cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: 'envtest-admin', user: { 'client-certificate-data': b64(user.certPem), 'client-key-data': b64(user.keyPem) } }],
    contexts: [{ name: 'envtest', context: { cluster: 'envtest', user: 'envtest-admin', namespace: 'default' } }],
  }, null, 2) + '\n';
}
