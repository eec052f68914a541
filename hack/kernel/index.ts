import { startLocalKernelHost } from './local-host.js';
import { startQemuKernelHost } from './qemu-host.js';
import type { KernelHost, KernelHostOptions } from './types.js';
import { hostKernelHasVrf } from './vrf-probe.js';

export type { ExecOptions, ExecResult, KernelHost, KernelHostOptions, PortForward, Process } from './types.js';
export { hostKernelHasVrf };

/**
 * A kernel with VRF and SRv6: this machine's own when it has them, otherwise a qemu
 * guest. GALACTIC_KERNEL_HOST=local|qemu forces the choice.
 */
export async function startKernelHost(opts: KernelHostOptions = {}): Promise<KernelHost> {
  const forced = process.env.GALACTIC_KERNEL_HOST;
  if (forced && forced !== 'local' && forced !== 'qemu') {
    throw new Error(`GALACTIC_KERNEL_HOST must be "local" or "qemu", not "${forced}"`);
  }
  const local = forced ? forced === 'local' : await hostKernelHasVrf();
  return local ? startLocalKernelHost(opts) : startQemuKernelHost(opts);
}
