// `galactic install-cni`: what the CNI DaemonSet's init container runs (the
// image has no shell). Copies this executable to <dir>/galactic, and the
// community plugins it delegates to when the node lacks them, each through a
// temporary name and a rename, so the runtime never execs a half-written file.
import { chmod, copyFile, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isSea } from 'node:sea';
import { type Logger, createLogger } from '../lib/log.js';
import { listenForShutdown } from '../lib/shutdown.js';
import { type CommandSpec, type OptionSpec, UsageError, parseOptions, stringOption, switchOption } from '../lib/options.js';

const defaulted = <T>(spec: OptionSpec<T>): OptionSpec<T> & { default: T } => spec as OptionSpec<T> & { default: T };

export const command = {
  name: 'install-cni',
  summary: 'Install the galactic CNI plugin (and missing host-device/static) into a CNI bin directory',
  description: `
Copies this executable to DIR/galactic, replacing an older one atomically, and
the community plugins host-device and static from --plugins-dir when DIR does
not have them yet (a node's own plugins are kept). Run by the galactic-cni
DaemonSet with the node's /opt/cni/bin mounted, and --wait, so the same
container stays up and a new image re-installs.`,
  options: {
    dir: defaulted(stringOption({ flag: 'dir', env: 'CNI_BIN_DIR', placeholder: 'DIR', default: '/host/opt/cni/bin', description: "The node's CNI bin directory, as mounted" })),
    pluginsDir: defaulted(stringOption({ flag: 'plugins-dir', placeholder: 'DIR', default: '/opt/cni/bin', description: 'Where this image keeps host-device and static' })),
    wait: defaulted(switchOption({ flag: 'wait', default: false, description: 'After installing, stay up until SIGTERM (the DaemonSet container; no pause image needed)' })),
  },
} satisfies CommandSpec<Record<string, OptionSpec<unknown>>>;

export const DELEGATES = ['host-device', 'static'];

/** Installs the plugin and any missing delegate; returns what it wrote. */
export async function installCni(options: { executable: string; dir: string; pluginsDir: string }): Promise<string[]> {
  const written: string[] = [];
  const install = async (source: string, name: string): Promise<void> => {
    const target = join(options.dir, name);
    const partial = join(options.dir, `.${name}.galactic-tmp`);
    try {
      await copyFile(source, partial);
      await chmod(partial, 0o755);
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
    written.push(target);
  };
  if (!existsSync(options.dir)) throw new Error(`${options.dir} does not exist: mount the node's CNI bin directory there (--dir)`);
  await install(options.executable, 'galactic');
  for (const plugin of DELEGATES) {
    if (!existsSync(join(options.dir, plugin)) && existsSync(join(options.pluginsDir, plugin))) await install(join(options.pluginsDir, plugin), plugin);
  }
  return written;
}

export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(command, argv);
  const logger = createLogger('install-cni');
  if (!isSea()) throw new UsageError('install-cni copies the single executable it runs as: run it from dist/galactic (make build), not through node');
  const written = await installCni({ executable: process.execPath, dir: options.dir, pluginsDir: options.pluginsDir });
  logger.info('CNI plugins installed', { files: written });
  if (options.wait) await untilSignalled(logger);
  return 0;
}

/** Until SIGTERM or SIGINT. A timer keeps the process up meanwhile: a pending promise alone does not, and the DaemonSet's container would exit and be restarted in a loop. */
async function untilSignalled(logger: Logger): Promise<void> {
  const shutdown = listenForShutdown(logger);
  const alive = setInterval(() => undefined, 1 << 30);
  await shutdown.requested;
  clearInterval(alive);
}
