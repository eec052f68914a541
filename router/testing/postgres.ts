// Test support: a throwaway PostgreSQL server (Debian's postgresql package)
// on a free loopback port with its data in a temporary directory. PostgreSQL
// refuses to run as root, so as root it runs as the `postgres` user.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { waitFor } from '../../lib/wait.js';
import { type Child, freePort, startChild } from './processes.js';

/** The newest installed server's bin directory, e.g. /usr/lib/postgresql/15/bin. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] !== undefined ? join(root, versions[0], 'bin') : undefined;
}

export interface Postgres {
  url: string;
  /** Kills the server as a crash would (immediate shutdown, no checkpoint) and starts it again on the same data and port. */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

/** How to run a command as an unprivileged user when we are root. */
function asUser(): { prefix: string[]; uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return { prefix: [] };
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'], uid, gid };
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL server not installed (Debian: apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'galactic-pg-'));
  const user = asUser();
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
  const data = join(dir, 'data');
  const run = (command: string, args: string[]): void => {
    const [exe, ...rest] = [...user.prefix, command, ...args];
    execFileSync(exe!, rest, { stdio: 'pipe' });
  };
  run(join(bin, 'initdb'), ['-D', data, '-U', 'galactic', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const [exe, ...rest] = [...user.prefix, join(bin, 'postgres'), '-D', data, '-k', dir, '-h', '127.0.0.1', '-p', String(port), '-c', 'fsync=off'];
  let server: Child = startChild('postgres', exe!, rest);
  const url = `postgres://galactic@127.0.0.1:${port}/postgres`;
  const stop = async (): Promise<void> => {
    await server.stop('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  };
  const accepting = (): Promise<unknown> =>
    waitFor(
      async () => {
        if (!server.running) throw new Error(server.tail());
        const client = new pg.Client({ connectionString: url });
        try {
          await client.connect();
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { what: 'PostgreSQL to accept connections', timeoutMs: 30_000, intervalMs: 100 },
    );
  // SIGQUIT: the postmaster quits its backends at once and exits; the restart runs crash recovery.
  const crashAndRestart = async (): Promise<void> => {
    await server.stop('SIGQUIT');
    server = startChild('postgres', exe!, rest);
    await accepting();
  };
  try {
    await accepting();
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, crashAndRestart, stop };
}

/** A fresh empty database on the server, for one test. */
export async function createDatabase(server: Postgres, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return server.url.replace(/\/postgres$/, `/${name}`);
}
