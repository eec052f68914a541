import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Loaded by the initramfs before the root can be mounted; the rest autoloads. */
const EARLY_MODULES = ['virtio_pci', '9pnet_virtio', '9p', 'overlay', 'virtio_console'];

export interface GuestImage {
  kernel: string;
  initrd: string;
  /** Root of the extracted package: lib/modules/<version> under it. */
  modulesRoot: string;
  kernelVersion: string;
}

/** Not under /tmp or /run: the guest mounts fresh tmpfs there. */
export function cacheDir(): string {
  return join(process.env.GALACTIC_CACHE || '/var/cache/galactic', 'kernel');
}

/** Debian kernel and an initramfs for it, built once and cached. */
export async function prepareGuestImage(log: (line: string) => void): Promise<GuestImage> {
  const dir = cacheDir();
  const root = join(dir, 'root');
  await mkdir(dir, { recursive: true });
  if (!existsSync(join(root, 'boot', 'vmlinuz'))) await fetchKernel(dir, root, log);
  const [kernelVersion] = await readdir(join(root, 'lib', 'modules'));
  if (!kernelVersion) throw new Error(`no modules under ${root}/lib/modules; remove ${root} to refetch`);

  const init = initScript(root, kernelVersion);
  const hash = createHash('sha256').update(init).digest('hex').slice(0, 12);
  const initrd = join(dir, `initrd-${kernelVersion}-${hash}.gz`);
  if (!existsSync(initrd)) await buildInitrd(dir, root, kernelVersion, init, initrd, log);
  return { kernel: join(root, 'boot', 'vmlinuz'), initrd, modulesRoot: root, kernelVersion };
}

async function fetchKernel(dir: string, root: string, log: (line: string) => void): Promise<void> {
  const work = await mkdtemp(join(dir, 'fetch-'));
  try {
    const { stdout } = await run('apt-cache', ['depends', 'linux-image-amd64']);
    const pkg = /Depends: (linux-image-\d\S*)/.exec(stdout)?.[1];
    if (!pkg) throw new Error('apt-cache knows no linux-image-amd64 dependency; run apt-get update');
    log(`kernel: downloading ${pkg}`);
    // Sandbox::User=root: the _apt user cannot write into this root-owned cache
    await run('apt-get', ['-o', 'APT::Sandbox::User=root', 'download', pkg], { cwd: work });
    const deb = (await readdir(work)).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
    const extracted = join(work, 'root');
    await run('dpkg-deb', ['-x', join(work, deb), extracted]);
    const [version] = await readdir(join(extracted, 'lib', 'modules'));
    if (!version) throw new Error(`${deb} has no lib/modules`);
    await run('depmod', ['-b', extracted, version]); // the package leaves modules.dep to postinst
    await copyFile(join(extracted, 'boot', `vmlinuz-${version}`), join(extracted, 'boot', 'vmlinuz'));
    await rename(extracted, root).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err; // a concurrent run won
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function buildInitrd(
  dir: string,
  root: string,
  kernelVersion: string,
  init: string,
  initrd: string,
  log: (line: string) => void,
): Promise<void> {
  log(`kernel: building ${basename(initrd)}`);
  const work = await mkdtemp(join(dir, 'initrd-'));
  try {
    const tree = join(work, 'tree');
    for (const d of ['bin', 'mods', 'proc', 'sys', 'dev', 'newroot', 'lower', 'rw']) await mkdir(join(tree, d), { recursive: true });
    await copyFile(await busybox(), join(tree, 'bin', 'busybox'));
    await chmod(join(tree, 'bin', 'busybox'), 0o755);
    const order: string[] = [];
    for (const module of EARLY_MODULES) {
      const { stdout } = await run('modprobe', ['-d', root, '-S', kernelVersion, '--show-depends', module]);
      for (const [, path] of stdout.matchAll(/^insmod (\S+)/gm)) if (path && !order.includes(path)) order.push(path);
    }
    for (const [i, path] of order.entries()) await copyFile(path, join(tree, 'mods', `${String(i).padStart(2, '0')}-${basename(path)}`));
    await writeFile(join(tree, 'init'), init, { mode: 0o755 });
    const partial = join(work, 'initrd.gz');
    await run('/bin/sh', ['-c', `cd "$1" && find . | cpio -o -H newc 2>/dev/null | gzip > "$2"`, 'sh', tree, partial]);
    await rename(partial, initrd);
    for (const stale of await readdir(dir)) {
      // earlier versions of the init script
      if (stale.startsWith('initrd-') && stale.endsWith('.gz') && join(dir, stale) !== initrd) await rm(join(dir, stale), { force: true });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function busybox(): Promise<string> {
  for (const path of ['/bin/busybox', '/usr/bin/busybox']) if (existsSync(path)) return path;
  throw new Error('busybox not found: apt-get install busybox-static');
}

/**
 * PID 1 in the guest: the host's root read-only over 9p with a tmpfs overlay on top,
 * then the per-boot script from the kernel command line (galactic.boot=<base64>), chrooted,
 * which stays PID 1 and powers off when the executor ends.
 */
function initScript(root: string, kernelVersion: string): string {
  return `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in /mods/*.ko; do insmod "$m"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 hostroot /lower
mount -t tmpfs rw /rw && mkdir /rw/upper /rw/work
mount -t overlay root -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot
for d in tmp run; do mount -t tmpfs t /newroot/$d; done
mkdir -p /newroot/lib/modules && ln -sfn ${root}/lib/modules/${kernelVersion} /newroot/lib/modules/${kernelVersion}
mount -t proc proc /newroot/proc; mount -t sysfs sys /newroot/sys; mount -t devtmpfs dev /newroot/dev
mkdir -p /newroot/dev/pts && mount -t devpts devpts /newroot/dev/pts
# exec, not a child: PID 1 shares its root with kernel threads, so module autoload
# (request_module runs /sbin/modprobe) then finds the host's modprobe and modules
exec chroot /newroot /bin/sh -c "$(tr ' ' '\\n' < /proc/cmdline | sed -n 's/^galactic.boot=//p' | base64 -d)"
`;
}
