// Test support: free loopback ports, child processes whose output is kept
// (and shown when a test fails), stopped even when a test fails.
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { waitFor } from '../../lib/wait.js';

export const REPO = resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export class Child {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    // Whole lines only: a chunk may end inside a line (a log line split in two would be two unparseable halves).
    const keep = (stream: NodeJS.ReadableStream | null): void => {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        this.output.push(...lines.filter((line) => line !== ''));
      });
      stream?.on('end', () => partial !== '' && this.output.push(partial));
    };
    keep(process.stdout);
    keep(process.stderr);
    this.exited = new Promise((done) => process.once('exit', (code) => done(code)));
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Lines of output parsed as JSON (the structured log), others skipped. */
  logs(): Array<Record<string, unknown>> {
    return this.output.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  async waitForLog(what: string, match: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    return waitFor(
      () => {
        if (!this.running) throw new Error(`${this.name} exited: ${this.output.slice(-20).join('\n')}`);
        return this.logs().find(match);
      },
      { what: `${this.name}: ${what}`, timeoutMs },
    );
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.process.kill(signal);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The last lines of output, for failure messages. */
  tail(lines = 40): string {
    return `--- ${this.name} ---\n${this.output.slice(-lines).join('\n')}`;
  }
}

export function startChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  return new Child(name, spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }));
}

/** `node bin/galactic.mjs <args>` from the repository. */
export function startGalactic(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  return startChild(name, process.execPath, [resolve(REPO, 'bin/galactic.mjs'), ...args], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
}
