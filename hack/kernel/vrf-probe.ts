import { execFile } from 'node:child_process';

// In a throwaway network namespace (unshare -n: nothing to clean up), exactly what
// the data path needs: a VRF and an End.DT46 route into it, which needs strict mode.
const PROBE = `ip link add probe type vrf table 1
ip link set probe up
sysctl -qw net.vrf.strict_mode=1
ip -6 route add 2001:db8::1/128 encap seg6local action End.DT46 vrftable 1 dev probe`;

let cached: Promise<boolean> | undefined;

/** Whether this machine's kernel can run the data path (VRF + seg6local), checked once. */
export function hostKernelHasVrf(): Promise<boolean> {
  cached ??= new Promise((resolve) => {
    execFile('unshare', ['-n', 'sh', '-ec', PROBE], { timeout: 20_000 }, (err) => resolve(!err));
  });
  return cached;
}
