export interface BootParams {
  scratchDir: string;
  /** A checkout under /tmp or /run, shared read-only on its own (the guest's tmpfs hides it). */
  repo?: string;
  executor: string;
  cwd: string;
  /** Extracted kernel package, for GALACTIC_VM_MODULES (modprobe -d). */
  modulesRoot: string;
  controlPort: string;
  /** Directory of the host's node binary (the project's pinned Node.js, hack/setup.sh): first on the guest's PATH. */
  nodeBinDir: string;
}

/**
 * Runs as PID 1, chrooted in the guest's root (the host's, overlaid), with the host's
 * /bin/sh. The executor ending (the host closed the channel) powers the guest off.
 * Travels base64 on the kernel command line, so it must stay well under 2 KiB.
 * The executor's stdin/stdout are pipes through cat: node cannot poll a character
 * device, and the port may be opened only once, hence the shared fd 3.
 */
export function bootScript(p: BootParams): string {
  return `export PATH=${q(p.nodeBinDir)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root GALACTIC_VM_MODULES=${q(p.modulesRoot)}
mkdir -p ${q(p.scratchDir)} && mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 scratch ${q(p.scratchDir)}
${p.repo ? `mkdir -p ${q(p.repo)} && mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 repo ${q(p.repo)}\n` : ''}ip link set lo up
echo "galactic: boot script at $(cut -d' ' -f1 /proc/uptime)s" >&2
modprobe -a vrf dummy veth
for d in /sys/class/virtio-ports/*; do [ "$(cat "$d/name")" = ${q(p.controlPort)} ] && port=/dev/\${d##*/}; done
cd ${q(p.cwd)} 2>/dev/null || cd /
echo "galactic: starting executor at $(cut -d' ' -f1 /proc/uptime)s" >&2
{ cat <&3 | node ${q(p.executor)} 3<&- | cat >&3; } 3<>"$port"
echo "galactic: executor ended, powering off" >&2
echo o > /proc/sysrq-trigger
sleep 30 # PID 1 must not exit before the power-off happens
`;
}

function q(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
