import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ExecutorChannel } from './executor-channel.js';
import { ExecutorKernelHost } from './executor-host.js';
import { executorPath } from './executor-path.js';
import { killQuietly, onProcessExit } from './exit-cleanup.js';
import { forEachLine } from './lines.js';
import { createRunDir } from './run-dir.js';
import type { KernelHost, KernelHostOptions } from './types.js';

/** The running kernel, through the same executor the guest uses (one code path for both). */
export async function startLocalKernelHost(opts: KernelHostOptions = {}): Promise<KernelHost> {
  const log = opts.log ?? (() => {});
  const { path: tempDir, scratchDir } = await createRunDir();

  const executor = spawn(process.execPath, [executorPath()], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => executor.once('close', () => resolve()));
  executor.on('error', (err) => log(`executor: ${err.message}`));
  forEachLine(executor.stderr, (line) => log(`executor: ${line}`));
  const channel = new ExecutorChannel(executor.stdout, executor.stdin, () => '', log);

  let host: ExecutorKernelHost | undefined;
  const unregister = onProcessExit(() => {
    for (const pid of host?.runningPids() ?? []) killQuietly(-pid);
    killQuietly(executor.pid);
    rmSync(tempDir, { recursive: true, force: true });
  });
  const teardown = async () => {
    executor.stdin.end(); // the executor exits on EOF, killing what is left
    await exited;
    await rm(tempDir, { recursive: true, force: true });
    unregister();
  };

  try {
    await channel.hello;
  } catch (err) {
    killQuietly(executor.pid);
    await teardown();
    throw err;
  }
  host = new ExecutorKernelHost('local', scratchDir, channel, teardown);
  return host;
}
