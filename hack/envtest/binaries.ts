// Where the control-plane binaries live (built by hack/envtest/build.sh).
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Kubernetes release pinned in hack/envtest/go.mod and build.sh. */
export const K8S_VERSION = 'v1.32.4';

export interface Binaries { kubeApiServer: string; etcd: string }

/** ${GALACTIC_CACHE:-$HOME/.cache/galactic}/envtest/<version> */
export function cacheDir(): string {
  const root = process.env.GALACTIC_CACHE || path.join(os.homedir(), '.cache', 'galactic');
  return path.join(root, 'envtest', K8S_VERSION);
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

/** The cached kube-controller-manager; throws naming the build script when missing. */
export function controllerManagerBinary(): string {
  const file = path.join(cacheDir(), 'kube-controller-manager');
  if (!isExecutable(file)) throw new Error(`envtest: missing ${file}; run: bash hack/envtest/build.sh`);
  return file;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
