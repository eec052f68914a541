// The kernel adapter's lowest layer: iproute2 invoked as a process. Reads use
// `ip -j` (JSON), writes go through one `ip -batch -` per change set, so a
// reconcile pass costs one process regardless of its size.
import { spawn } from 'node:child_process';

export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly argv: string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`${argv.join(' ')} failed (exit ${code ?? 'signal'}): ${stderr.trim() || 'no output'}`);
  }
}

export interface RunOptions {
  input?: string;
  /** Exit codes other than 0 that count as success. */
  okCodes?: number[];
}

/** Runs a command, resolving with stdout; rejects with CommandError on failure. */
export function run(argv: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => reject(new CommandError(argv, null, error.message)));
    child.on('close', (code) => {
      const out = Buffer.concat(stdout).toString();
      if (code === 0 || (code !== null && options.okCodes?.includes(code))) resolve(out);
      else reject(new CommandError(argv, code, Buffer.concat(stderr).toString() || out));
    });
    child.stdin.on('error', () => undefined); // the process may exit before reading all input
    child.stdin.end(options.input ?? '');
  });
}

export interface IpRoute2 {
  /** `ip -j <args>` parsed; empty output (nothing to show) is []. */
  json<T = unknown>(args: string[]): Promise<T>;
  /** `ip -batch -` with these lines; rejects naming the failing line. */
  batch(lines: string[]): Promise<void>;
  /** `ip <args>`, stdout. */
  run(args: string[]): Promise<string>;
}

export function ipRoute2(options: { bin?: string; netns?: string } = {}): IpRoute2 {
  const base = [options.bin ?? 'ip', ...(options.netns ? ['-n', options.netns] : [])];
  return {
    json: async <T>(args: string[]) => {
      const out = await run([...base, '-j', ...args]);
      return (out.trim() === '' ? [] : JSON.parse(out)) as T;
    },
    batch: async (lines) => {
      if (lines.length === 0) return;
      await run([...base, '-batch', '-'], { input: `${lines.join('\n')}\n` });
    },
    run: (args) => run([...base, ...args]),
  };
}
