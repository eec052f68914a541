import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { bootScript } from './boot-script.js';
import { ConsoleLog } from './console-log.js';
import { ExecutorChannel } from './executor-channel.js';
import { ExecutorKernelHost } from './executor-host.js';
import { executorPath, repoRoot } from './executor-path.js';
import { killQuietly, onProcessExit } from './exit-cleanup.js';
import { prepareGuestImage, type GuestImage } from './guest-image.js';
import { forEachLine } from './lines.js';
import { createRunDir } from './run-dir.js';
import type { KernelHost, KernelHostOptions } from './types.js';

const CONTROL_PORT = 'galactic.ctl';
const BOOT_TIMEOUT_MS = Number(process.env.GALACTIC_BOOT_TIMEOUT_MS) || 180_000;
const POWEROFF_TIMEOUT_MS = 5000;

/** Boots the cached Debian kernel under qemu (TCG) and connects to its executor. */
export async function startQemuKernelHost(opts: KernelHostOptions = {}): Promise<KernelHost> {
  const consoleLog = new ConsoleLog(opts.log);
  const image = await prepareGuestImage(consoleLog.add);
  const { path: tempDir, scratchDir } = await createRunDir();

  // We listen and qemu connects: no polling for a socket file, and the guest sees the
  // host end connected from the start. EOF on it makes the guest power itself off.
  const server = createServer();
  const connection = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await listen(server, join(tempDir, 'ctl.sock'));

  const qemu = spawn('qemu-system-x86_64', qemuArgs(image, tempDir, scratchDir, opts.memoryMb ?? 2048), {
    stdio: ['pipe', 'pipe', 'pipe'], // stdin unused, but never hand qemu the test's terminal
  });
  const qemuGone = new Promise<string>((resolve) => {
    qemu.once('error', (err) => resolve(`qemu failed to start: ${err.message}`));
    qemu.once('exit', (code, signal) => resolve(`qemu exited (${signal ?? code})`));
  });
  forEachLine(qemu.stdout, consoleLog.add);
  forEachLine(qemu.stderr, consoleLog.add);
  const unregister = onProcessExit(() => {
    killQuietly(qemu.pid);
    rmSync(tempDir, { recursive: true, force: true });
  });

  let socket: Socket | undefined;
  const teardown = async () => {
    socket?.end();
    server.close();
    if (qemu.exitCode === null && qemu.signalCode === null && qemu.pid !== undefined) {
      qemu.kill('SIGTERM');
      if (!(await settlesWithin(qemuGone, POWEROFF_TIMEOUT_MS))) {
        qemu.kill('SIGKILL');
        await qemuGone;
      }
    }
    await rm(tempDir, { recursive: true, force: true });
    unregister();
  };

  try {
    const started = Date.now();
    socket = await bootStep(connection, qemuGone, 'qemu connecting to the control socket');
    const channel = new ExecutorChannel(socket, socket, () => `\n${consoleLog.tail()}`, consoleLog.add);
    const hello = await bootStep(channel.hello, qemuGone, 'the guest executor');
    consoleLog.add(`galactic: guest executor up after ${Date.now() - started} ms (kernel ${hello.kernel}, node ${hello.node})`);
    server.close(); // one connection is all we take
    return new ExecutorKernelHost('qemu', scratchDir, channel, teardown);
  } catch (err) {
    await teardown();
    throw new Error(`${(err as Error).message}\n${consoleLog.tail()}`);
  }
}

function qemuArgs(image: GuestImage, tempDir: string, scratchDir: string, memoryMb: number): string[] {
  // The guest mounts fresh tmpfs on /tmp and /run, hiding a checkout there (CI
  // clones often live in /tmp): share it on its own, read-only, at the same path.
  const repo = repoRoot();
  const shareRepo = /^\/(tmp|run)\//.test(`${repo}/`);
  const boot = bootScript({
    scratchDir,
    ...(shareRepo ? { repo } : {}),
    executor: executorPath(),
    cwd: process.cwd(),
    modulesRoot: image.modulesRoot,
    controlPort: CONTROL_PORT,
    nodeBinDir: dirname(process.execPath),
  });
  return [
    ...['-accel', 'tcg', '-smp', '2', '-m', String(memoryMb)], // KVM hangs on these machines
    ...['-nodefaults', '-display', 'none', '-no-reboot', '-nic', 'none', '-serial', 'stdio'],
    ...['-kernel', image.kernel, '-initrd', image.initrd],
    ...['-append', `console=ttyS0 quiet panic=-1 galactic.boot=${Buffer.from(boot).toString('base64')}`],
    ...['-fsdev', 'local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap'],
    ...['-device', 'virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot'],
    ...['-fsdev', `local,id=scratch,path=${optionValue(scratchDir)},security_model=none,multidevs=remap`],
    ...['-device', 'virtio-9p-pci,fsdev=scratch,mount_tag=scratch'],
    ...(shareRepo
      ? ['-fsdev', `local,id=repo,path=${optionValue(repo)},security_model=none,readonly=on,multidevs=remap`, '-device', 'virtio-9p-pci,fsdev=repo,mount_tag=repo']
      : []),
    ...['-device', 'virtio-serial-pci', '-chardev', `socket,id=ctl,path=${optionValue(join(tempDir, 'ctl.sock'))}`],
    ...['-device', `virtserialport,chardev=ctl,name=${CONTROL_PORT}`],
  ];
}

/** qemu option values escape commas by doubling them. */
function optionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
}

/** Waits for one boot milestone, failing early if qemu dies and eventually on timeout. */
async function bootStep<T>(step: Promise<T>, qemuGone: Promise<string>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${BOOT_TIMEOUT_MS} ms waiting for ${what}`)), BOOT_TIMEOUT_MS);
  });
  const died = qemuGone.then((why) => Promise.reject(new Error(`${why} while waiting for ${what}`)));
  try {
    return await Promise.race([step, died, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
