// The `galactic` CNI plugin (SPEC §7): `galactic` with CNI_COMMAND set, as
// installed in /opt/cni/bin/galactic. Reads CNI_* and the network
// configuration on stdin; prints the result (ADD), the version info
// (VERSION) or a CNI error object on stdout.
import { withPerPodArgs } from './per-pod.js';
import { type Logger, createLogger } from '../lib/log.js';
import { type CommandSpec, HelpRequested, formatHelp } from '../lib/options.js';
import { add } from './add.js';
import { check } from './check.js';
import { type CniEnvironment, DEFAULT_RUN_DIR, LOCK_DIR_ENV, agentSocketOf, configVersion, parseConfigText, parseEnvironment, parseNetConf, requireVersionAtLeast } from './config.js';
import type { Context } from './context.js';
import { del } from './del.js';
import { CniError, ErrorCode, asCniError } from './errors.js';
import { gc, status } from './gc.js';
import { LATEST_VERSION, SUPPORTED_VERSIONS } from './result.js';
import { type System, realSystem } from './system.js';

export const command: CommandSpec<Record<string, never>> = {
  name: 'cni',
  summary: 'The CNI plugin (normally run by the container runtime with CNI_COMMAND set)',
  description: `
Runs as the CNI plugin when CNI_COMMAND is set (ADD, DEL, CHECK, VERSION,
STATUS, GC), with CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME and CNI_PATH, and
the network configuration (a NetworkAttachmentDefinition's galactic entry)
on stdin. Install the executable as /opt/cni/bin/galactic.

Configuration keys: vpc, vpcattachment (base62), mtu [1372], terminations,
ipam (type static, delegated with host-device), agent_socket
[/var/run/galactic/agent.sock]. ${LOCK_DIR_ENV} moves the VRF table lock
[${DEFAULT_RUN_DIR}]. Example:
  CNI_COMMAND=VERSION galactic`,
  options: {},
};

export interface Invocation {
  env: NodeJS.ProcessEnv;
  stdin: string;
  sys?: System;
  log?: Logger;
}

export interface Outcome {
  code: number;
  stdout: string;
}

function versionOf(stdin: string): string {
  try {
    const raw = parseConfigText(stdin);
    return typeof raw.cniVersion === 'string' && (SUPPORTED_VERSIONS as readonly string[]).includes(raw.cniVersion) ? raw.cniVersion : LATEST_VERSION;
  } catch {
    return LATEST_VERSION;
  }
}

/** One plugin invocation, without process I/O: what main() prints and exits with. */
export async function invoke({ env, stdin, sys = realSystem, log = createLogger('cni') }: Invocation): Promise<Outcome> {
  let cniEnv: CniEnvironment | undefined;
  const started = Date.now();
  try {
    cniEnv = parseEnvironment(env);
    log.debug('start', { command: cniEnv.command, sinceProcessStartMs: Math.round(process.uptime() * 1000) });
    if (cniEnv.command === 'VERSION') {
      return { code: 0, stdout: JSON.stringify({ cniVersion: LATEST_VERSION, supportedVersions: SUPPORTED_VERSIONS }) };
    }
    if (stdin.trim() === '') throw new CniError(ErrorCode.DecodingFailure, 'no network configuration on stdin', 'stdin: the runtime passes the network configuration (the NetworkAttachmentDefinition\'s galactic entry) as JSON');
    const raw = parseConfigText(stdin);
    const minimum = { CHECK: '0.4.0', STATUS: '1.1.0', GC: '1.1.0' }[cniEnv.command as string];
    if (minimum) requireVersionAtLeast(configVersion(raw), minimum, cniEnv.command);
    if (cniEnv.command === 'STATUS') {
      await status(sys, agentSocketOf(raw));
      return { code: 0, stdout: '' };
    }
    const conf = parseNetConf(withPerPodArgs(raw));
    const ctx: Context = { conf, env: cniEnv, sys, log, lockDir: env[LOCK_DIR_ENV] || DEFAULT_RUN_DIR };
    let stdout = '';
    switch (cniEnv.command) {
      case 'ADD':
        stdout = JSON.stringify(await add(ctx));
        break;
      case 'DEL':
        await del(ctx);
        break;
      case 'CHECK':
        await check(ctx);
        break;
      case 'GC':
        await gc(ctx);
        break;
    }
    log.info(`${cniEnv.command} done`, { container: cniEnv.containerId, ms: Date.now() - started });
    return { code: 0, stdout };
  } catch (error) {
    const cniError = asCniError(error);
    log.error(`${cniEnv?.command ?? env.CNI_COMMAND ?? 'CNI'} failed`, { ...(cniEnv?.containerId ? { container: cniEnv.containerId } : {}), code: cniError.code, error: cniError.message });
    return { code: 1, stdout: JSON.stringify(cniError.toJSON(versionOf(stdin))) };
  }
}

function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

export async function run(argv: string[]): Promise<number> {
  if (process.env.CNI_COMMAND === undefined) {
    if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(formatHelp(command));
    process.stderr.write(`galactic cni: CNI_COMMAND is not set; the container runtime runs this plugin. See 'galactic cni --help'.\n`);
    return 2;
  }
  let stdin = '';
  try {
    stdin = process.env.CNI_COMMAND === 'VERSION' ? '' : await readStdin();
  } catch (error) {
    process.stdout.write(`${JSON.stringify(new CniError(ErrorCode.IoFailure, `reading stdin failed: ${(error as Error).message}`, 'stdin: the runtime must pass the network configuration on stdin and close it').toJSON(LATEST_VERSION))}\n`);
    return 1;
  }
  const outcome = await invoke({ env: process.env, stdin });
  if (outcome.stdout !== '') process.stdout.write(`${outcome.stdout}\n`);
  return outcome.code;
}
