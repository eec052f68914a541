// Test support: a Mosquitto broker (Debian's mosquitto package) running the
// project's hack/mosquitto/mosquitto.conf and ACL, with only its ports
// (free loopback ports), file paths and persistence replaced, so the shipped
// configuration is what the tests exercise.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../../lib/wait.js';
import { type Child, freePort, REPO, startChild } from './processes.js';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export interface Mosquitto {
  /** The workers' listener. */
  url: string;
  /** The router's listener. */
  routerUrl: string;
  child: Child;
  stop(): Promise<void>;
}

function passwordFile(path: string, users: Record<string, string>): void {
  writeFileSync(path, '');
  for (const [name, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', path, name, password], { stdio: 'pipe' });
  chmodSync(path, 0o644);
}

/** `text` with `from` replaced by `to`; throws when `from` is not in it (the shipped config changed). */
function substitute(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`hack/mosquitto/mosquitto.conf no longer contains ${JSON.stringify(from)}; update router/testing/mosquitto.ts`);
  return text.replace(from, to);
}

/** Starts Mosquitto with the `router` account on the router's listener and every other user (name → password) on the workers'. */
export async function startMosquitto(users: Record<string, string>): Promise<Mosquitto> {
  if (!existsSync(MOSQUITTO)) throw new Error('mosquitto is not installed (Debian: apt-get install mosquitto)');
  const dir = mkdtempSync(join(tmpdir(), 'galactic-mosquitto-'));
  chmodSync(dir, 0o755); // run as root, mosquitto drops to its own user before reading the files
  const { router, ...workers } = users;
  passwordFile(join(dir, 'workers.passwd'), workers);
  passwordFile(join(dir, 'router.passwd'), router !== undefined ? { router } : {});
  const acl = join(dir, 'acl');
  copyFileSync(resolve(REPO, 'hack/mosquitto/acl'), acl);
  chmodSync(acl, 0o644);
  const [port, routerPort] = [await freePort(), await freePort()];
  let text = readFileSync(resolve(REPO, 'hack/mosquitto/mosquitto.conf'), 'utf8');
  text = substitute(text, 'listener 1883\n', `listener ${port} 127.0.0.1\n`);
  text = substitute(text, 'listener 1884\n', `listener ${routerPort} 127.0.0.1\n`);
  text = substitute(text, '/etc/mosquitto/galactic-workers.passwd', join(dir, 'workers.passwd'));
  text = substitute(text, '/etc/mosquitto/galactic-router.passwd', join(dir, 'router.passwd'));
  text = text.replaceAll('/etc/mosquitto/galactic.acl', acl);
  text = substitute(text, 'persistence true\n', 'persistence false\n');
  text = substitute(text, 'persistence_location /var/lib/mosquitto/\n', '');
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, `${text}\nlog_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\n`);
  chmodSync(config, 0o644);
  const child = startChild('mosquitto', MOSQUITTO, ['-c', config]);
  const stop = async (): Promise<void> => {
    await child.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const listening = (p: number): Promise<boolean> =>
    new Promise<boolean>((done) => {
      const socket = connect(p, '127.0.0.1', () => {
        socket.destroy();
        done(true);
      });
      socket.on('error', () => done(false));
    });
  try {
    await waitFor(
      async () => {
        if (!child.running) throw new Error(child.tail());
        return (await listening(port)) && (await listening(routerPort));
      },
      { what: 'mosquitto to listen', timeoutMs: 10_000 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `mqtt://127.0.0.1:${port}`, routerUrl: `mqtt://127.0.0.1:${routerPort}`, child, stop };
}
