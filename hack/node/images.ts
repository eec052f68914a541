// The one image the real node needs, built locally (no registry): Debian's
// busybox-static with a few applets. It is both the pod sandbox ("pause")
// image — containerd's sandbox_image points at it — and the sample pods'
// image, whose containers override the command.
import { readFileSync } from 'node:fs';
import { type OciArchive, ociArchive } from '../image/oci.js';
import type { TarEntry } from '../image/tar.js';

export const NODE_IMAGE = 'localhost/galactic/busybox:1';
const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'sleep', 'ping', 'ping6', 'ip', 'cat', 'echo', 'ls', 'true', 'hostname', 'wget'];

/** OCI archive of NODE_IMAGE; PID 1 sleeps, as a pause container does (kill-only stop is fine). */
export function nodeImageArchive(): OciArchive {
  let busybox: Buffer;
  try {
    busybox = readFileSync(BUSYBOX);
  } catch {
    throw new Error(`${BUSYBOX} is missing: apt-get install busybox-static (hack/setup.sh)`);
  }
  const entries: TarEntry[] = [
    { kind: 'dir', path: 'bin' },
    { kind: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 },
    ...APPLETS.map((applet): TarEntry => ({ kind: 'symlink', path: `bin/${applet}`, target: 'busybox' })),
    { kind: 'dir', path: 'etc' },
    { kind: 'dir', path: 'tmp', mode: 0o1777 },
  ];
  return ociArchive(entries, { reference: NODE_IMAGE, entrypoint: ['/bin/sleep', '2147483647'], env: ['PATH=/bin'] });
}

/** A pod for a kubelet node: NODE_IMAGE (never pulled), placed by the scheduler via nodeSelector, attached to a VPC. */
export function vpcPod(name: string, node: string, attachment: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', annotations: { 'k8s.v1alpha.galactic.datumapis.com/vpc-attachment': attachment } },
    spec: {
      nodeSelector: { 'kubernetes.io/hostname': node },
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'shell', image: NODE_IMAGE, imagePullPolicy: 'Never', command: ['sleep', '2147483647'] }],
    },
  };
}
