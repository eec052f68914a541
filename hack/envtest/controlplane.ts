// The rest of a control plane beside startApiServer(): kube-controller-manager
// (startControllerManager(), the one way to run it here), and with
// startControlPlane() also kube-scheduler and a plain-HTTP `kubectl proxy` for
// clients that cannot afford TLS handshakes (a kubelet node in a TCG guest, and
// Multus, which gives itself ~2.5 s to read a pod).
import { nodeBinary } from './binaries.js';
import type { ApiServer } from './envtest.js';
import { type Proc, startProc } from './proc.js';
import { waitFor } from './ports.js';

export interface ControlPlane {
  /** 127.0.0.1 port of the unauthenticated HTTP proxy to the API (admin rights: tests only). */
  proxyPort: number;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  log?: (line: string) => void;
  timeoutMs?: number;
  /** kube-controller-manager controllers to leave off, e.g. 'pod-garbage-collector-controller'. */
  disabledControllers?: string[];
}

/**
 * kube-controller-manager as the API's admin, running `controllers` in its
 * --controllers syntax: names (`['garbagecollector', 'namespace']`, so
 * ownerReferences are collected and namespaces deleted), or `'*'` with
 * `'-name'` exclusions. No serving port; a high client rate: tests create and
 * delete hundreds of objects and wait for collection. Not waited for: callers
 * wait for what they need it to have done.
 */
export function startControllerManager(api: ApiServer, controllers: string[], log?: (line: string) => void): Proc {
  // No service-account signing key for it: the token controller stays off, as
  // the API server's ServiceAccount admission plugin is (pods get no token volume).
  return startProc('kube-controller-manager', nodeBinary('kubeControllerManager'), [
    `--kubeconfig=${api.kubeconfigPath}`, `--controllers=${controllers.join(',')}`,
    '--leader-elect=false', '--secure-port=0', '--use-service-account-credentials=false',
    '--kube-api-qps=500', '--kube-api-burst=1000', '--concurrent-gc-syncs=20',
  ], log);
}

/** kube-controller-manager (every controller but `disabledControllers`), kube-scheduler and `kubectl proxy`; resolves once the controllers work. */
export async function startControlPlane(api: ApiServer, opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const procs: Proc[] = [];
  const stop = async () => {
    for (const p of procs.reverse()) await p.stop();
  };
  try {
    procs.push(startControllerManager(api, ['*', ...(opts.disabledControllers ?? []).map((c) => `-${c}`)], opts.log));
    procs.push(startProc('kube-scheduler', nodeBinary('kubeScheduler'), [`--kubeconfig=${api.kubeconfigPath}`, '--leader-elect=false', '--secure-port=0'], opts.log));
    // Any Host header: guest clients reach it through a relay under the lab's underlay address.
    let proxyPort = 0;
    const proxy = startProc('kubectl-proxy', 'kubectl', [`--kubeconfig=${api.kubeconfigPath}`, 'proxy', '--address=127.0.0.1', '--port=0', '--accept-hosts=.*'], (line) => {
      proxyPort ||= Number(/Starting to serve on 127\.0\.0\.1:(\d+)/.exec(line)?.[1] ?? 0);
      opts.log?.(line);
    });
    procs.push(proxy);
    await waitFor('the control plane', async () => {
      for (const p of procs) if (p.exitStatus !== undefined) throw new Error(`envtest: ${p.name} ${p.exitStatus}; last output:\n${p.tail()}`);
      if (proxyPort === 0) return false;
      // the controller-manager is working once its service-account controller made this
      const sa = await fetch(`http://127.0.0.1:${proxyPort}/api/v1/namespaces/default/serviceaccounts/default`).catch(() => undefined);
      return sa?.status === 200;
    }, { timeoutMs: opts.timeoutMs ?? 120_000 });
    return { proxyPort, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
