import type { ExecutorChannel } from './executor-channel.js';
import { forwardPort } from './port-forward.js';
import { RemoteProcess } from './remote-process.js';
import type { ExecOptions, ExecResult, KernelHost, PortForward, Process } from './types.js';

const SHUTDOWN_GRACE_MS = 2000;
const SHUTDOWN_REPLY_TIMEOUT_MS = 30_000;

/** KernelHost on top of an executor channel; the transport (child, qemu) supplies teardown. */
export class ExecutorKernelHost implements KernelHost {
  private readonly processes = new Set<RemoteProcess>();
  private closing: Promise<void> | undefined;

  constructor(
    readonly kind: 'local' | 'qemu',
    readonly scratchDir: string,
    private readonly channel: ExecutorChannel,
    private readonly teardown: () => Promise<void>,
  ) {}

  /** Pids of spawned processes still running, for last-resort cleanup. */
  runningPids(): number[] {
    return [...this.processes].filter((p) => p.running).map((p) => p.pid);
  }

  exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    checkArgv(argv);
    return new Promise((resolve, reject) => {
      try {
        this.channel.request({ op: 'run', ...runFields(argv, opts), stream: false }, (event) => {
          switch (event.ev) {
            case 'exit': {
              const result = { code: event.code, stdout: event.stdout ?? '', stderr: event.stderr ?? '' };
              if (event.timedOut) reject(new Error(`${describe(argv)} timed out after ${opts.timeoutMs} ms\n${show(result)}`));
              else resolve(result);
              return true;
            }
            case 'error': // could not start: report it the way a shell would
              resolve({ code: event.code === 'ENOENT' ? 127 : 126, stdout: '', stderr: `${event.message}\n` });
              return true;
            case 'lost':
              reject(new Error(`${describe(argv)}: ${event.message}`));
              return true;
            default:
              return false;
          }
        });
      } catch (err) {
        reject(err);
      }
    });
  }

  sh(script: string, opts?: ExecOptions): Promise<ExecResult> {
    return this.exec(['/bin/sh', '-c', script], opts);
  }

  spawn(argv: string[], opts: ExecOptions = {}): Promise<Process> {
    checkArgv(argv);
    return new Promise((resolve, reject) => {
      let spawned: RemoteProcess | undefined;
      try {
        const runId = this.channel.request({ op: 'run', ...runFields(argv, opts), stream: true }, (event) => {
          if (spawned) return spawned.handle(event);
          if (event.ev === 'started') {
            spawned = new RemoteProcess(this.channel, runId, event.pid, opts.onOutput);
            this.processes.add(spawned);
            void spawned.exited().then(
              () => this.processes.delete(spawned!),
              () => this.processes.delete(spawned!),
            );
            resolve(spawned);
            return false;
          }
          reject(new Error(`spawn ${describe(argv)}: ${'message' in event ? event.message : event.ev}`));
          return true;
        });
      } catch (err) {
        reject(err);
      }
    });
  }

  forwardToHost(guestPort: number, hostPort: number, guestAddress = '127.0.0.1'): Promise<PortForward> {
    return forwardPort(this.channel, guestPort, hostPort, guestAddress);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    try {
      if (this.channel.isOpen) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          this.channel.call({ op: 'shutdown', graceMs: SHUTDOWN_GRACE_MS }),
          new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_REPLY_TIMEOUT_MS))),
        ]).finally(() => clearTimeout(timer));
      }
    } finally {
      await this.teardown();
    }
  }
}

function runFields(argv: string[], opts: ExecOptions) {
  return { argv, env: opts.env, cwd: opts.cwd, input: opts.input, timeoutMs: opts.timeoutMs };
}

function checkArgv(argv: string[]): void {
  if (argv.length === 0 || !argv[0]) throw new Error('argv must name a command');
}

function describe(argv: string[]): string {
  return JSON.stringify(argv).slice(0, 200);
}

function show(result: ExecResult): string {
  return `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}
