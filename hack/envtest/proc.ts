// Child processes that cannot outlive the test run, and exit-time cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

const cleanups = new Set<() => void>();
let hooked = false;

/**
 * Run `fn` (synchronously) if this process exits or is killed by
 * SIGINT/SIGTERM/SIGHUP while it is registered. Returns the unregister function.
 */
export function onProcessExit(fn: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', runCleanups);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = () => {
        // Someone else (e.g. run.ts) handles this signal: let them stop gracefully.
        if (process.listenerCount(sig) > 1) return;
        runCleanups();
        process.removeListener(sig, handler);
        process.kill(process.pid, sig); // die as the signal would have made us
      };
      process.on(sig, handler);
    }
  }
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function runCleanups(): void {
  for (const fn of cleanups) {
    try { fn(); } catch { /* best effort */ }
  }
  cleanups.clear();
}

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  /** Set once the process has exited. */
  exitStatus: string | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** The last lines it printed, for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startProc(name: string, bin: string, args: string[], log?: (line: string) => void): Proc {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
    log?.(`[${name}] ${line}`);
  };
  readline.createInterface({ input: child.stdout! }).on('line', onLine);
  readline.createInterface({ input: child.stderr! }).on('line', onLine);

  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  const proc: Proc = {
    name,
    child,
    exitStatus: undefined,
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        proc.exitStatus = signal ? `killed by ${signal}` : `exited with code ${code}`;
        unregister();
        resolve();
      });
      child.once('error', (err) => {
        proc.exitStatus = `failed to start: ${err.message}`;
        unregister();
        resolve();
      });
    }),
    tail: () => lines.join('\n'),
    async stop(graceMs = 10_000) {
      if (proc.exitStatus !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await proc.exited;
      clearTimeout(timer);
    },
  };
  return proc;
}
