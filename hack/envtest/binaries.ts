// Where the control-plane binaries live (built by hack/envtest/build.sh).
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Kubernetes release pinned in hack/envtest/go.mod and build.sh. */
export const K8S_VERSION = 'v1.37.2';
/** The Multus release pinned in hack/envtest/multus/go.mod and build.sh. */
export const MULTUS_VERSION = 'v4.3.0';

export interface Binaries { kubeApiServer: string; etcd: string }

/** What a real node and its control plane run besides the API server. */
export interface NodeBinaries { kubeControllerManager: string; kubeScheduler: string; kubelet: string; multus: string }

function cacheRoot(): string {
  return process.env.GALACTIC_CACHE || path.join(os.homedir(), '.cache', 'galactic');
}

/** ${GALACTIC_CACHE:-$HOME/.cache/galactic}/envtest/<version> */
export function cacheDir(): string {
  return path.join(cacheRoot(), 'envtest', K8S_VERSION);
}

/** The cached binaries; throws naming the build script when one is missing. */
export function binaries(): Binaries {
  const kubeApiServer = path.join(cacheDir(), 'kube-apiserver');
  const etcd = ['/usr/bin/etcd', ...(process.env.PATH ?? '').split(':').filter(Boolean).map((d) => path.join(d, 'etcd'))]
    .find(isExecutable);
  const missing = [isExecutable(kubeApiServer) ? '' : kubeApiServer, etcd ? '' : 'etcd (Debian package etcd-server)'].filter(Boolean);
  if (missing.length || !etcd) {
    throw new Error(`envtest: missing ${missing.join(' and ')}; run: bash hack/envtest/build.sh`);
  }
  return { kubeApiServer, etcd };
}

/** One cached node binary; throws naming the build script when it is missing. */
export function nodeBinary(name: keyof NodeBinaries): string {
  const paths: NodeBinaries = {
    kubeControllerManager: path.join(cacheDir(), 'kube-controller-manager'),
    kubeScheduler: path.join(cacheDir(), 'kube-scheduler'),
    kubelet: path.join(cacheDir(), 'kubelet'),
    multus: path.join(cacheRoot(), 'multus', MULTUS_VERSION, 'multus'),
  };
  if (!isExecutable(paths[name])) throw new Error(`envtest: missing ${paths[name]}; run: bash hack/envtest/build.sh`);
  return paths[name];
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
