// Test support: a Mosquitto broker (Debian's mosquitto package) on a free
// loopback port, with a password file and the ACL of hack/mosquitto/acl.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../../lib/wait.js';
import { type Child, freePort, REPO, startChild } from './processes.js';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export interface Mosquitto {
  url: string;
  child: Child;
  stop(): Promise<void>;
}

/** Starts Mosquitto with `users` (name → password) and the project's ACL file. */
export async function startMosquitto(users: Record<string, string>): Promise<Mosquitto> {
  if (!existsSync(MOSQUITTO)) throw new Error('mosquitto is not installed (Debian: apt-get install mosquitto)');
  const dir = mkdtempSync(join(tmpdir(), 'galactic-mosquitto-'));
  chmodSync(dir, 0o755); // run as root, mosquitto drops to its own user before reading the files
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  for (const [name, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', passwd, name, password], { stdio: 'pipe' });
  chmodSync(passwd, 0o644);
  const acl = join(dir, 'acl');
  copyFileSync(resolve(REPO, 'hack/mosquitto/acl'), acl);
  chmodSync(acl, 0o644);
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwd}`, `acl_file ${acl}`, 'persistence false', 'max_queued_messages 100000', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', ''].join('\n'),
  );
  chmodSync(config, 0o644);
  const child = startChild('mosquitto', MOSQUITTO, ['-c', config]);
  const stop = async (): Promise<void> => {
    await child.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      () => {
        if (!child.running) throw new Error(child.tail());
        return new Promise<boolean>((done) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.destroy();
            done(true);
          });
          socket.on('error', () => done(false));
        });
      },
      { what: 'mosquitto to listen', timeoutMs: 10_000 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `mqtt://127.0.0.1:${port}`, child, stop };
}
