// What the galactic image holds: the single executable and what it needs at
// run time or execs (better-sqlite3's native module, iproute2, iptables-nft,
// the community host-device and static CNI plugins), with every shared
// library ldd resolves. Files come from this machine's Debian packages (their
// installed paths) and our build; nothing is downloaded.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One entry of the image's file system. */
export type ImageEntry =
  | { kind: 'file'; path: string; source: string; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'dir'; path: string; mode?: number };

/** Where the executable lives; its native modules sit beside it (node_modules), where the SEA's require looks. */
export const GALACTIC_DIR = '/opt/galactic';
export const CNI_BIN_DIR = '/opt/cni/bin';
export const IMAGE_PATH = '/usr/local/bin:/usr/sbin:/usr/bin';

const XTABLES_DIR = '/usr/lib/x86_64-linux-gnu/xtables';
/** The iptables front ends the agent and the CNI plugin run, all links to one multi-call binary. */
const IPTABLES_COMMANDS = ['iptables', 'ip6tables', 'iptables-save', 'ip6tables-save', 'iptables-restore', 'ip6tables-restore'];

/** Files of an installed Debian package (dpkg -L) that match. */
export function packageFiles(pkg: string, match: RegExp): string[] {
  const listed = execFileSync('dpkg', ['-L', pkg], { encoding: 'utf8' }).split('\n');
  return listed.filter((file) => match.test(file) && existsSync(file) && !isDirectory(file));
}

function isDirectory(file: string): boolean {
  return readdirSafe(file) !== undefined;
}

function readdirSafe(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

/** The shared libraries a binary loads (ldd), including the dynamic loader; none for a static binary. */
export function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return []; // "not a dynamic executable"
  }
  const libraries: string[] = [];
  for (const line of out.split('\n')) {
    const resolved = /=>\s+(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1];
    if (resolved) libraries.push(resolved);
    else if (/not found/.test(line)) throw new Error(`ldd ${binary}: ${line.trim()}`);
  }
  return libraries;
}

/**
 * A host path as the image stores it: directories resolved (merged /usr: /lib
 * is /usr/lib), the file itself kept under its own name, so a library named
 * by its soname is a regular file there.
 */
export const canonicalPath = (file: string): string => join(realpathSync(dirname(file)), basename(file));

export interface ContentsInput {
  /** The single executable (dist/galactic). */
  executable: string;
  /** The run-time packages beside it (dist/node_modules: better-sqlite3 built for the executable's Node). */
  nodeModules: string;
}

/** Every entry of the image, sorted by path, each path once. */
export function imageContents(input: ContentsInput): ImageEntry[] {
  const entries = new Map<string, ImageEntry>();
  const add = (entry: ImageEntry): void => {
    if (!entries.has(entry.path)) entries.set(entry.path, entry);
  };
  const binaries: string[] = [];
  const addBinary = (path: string, source: string): void => {
    add({ kind: 'file', path, source, mode: 0o755 });
    binaries.push(source);
  };

  // Merged /usr, as on Debian: /bin, /sbin, /lib, /lib64 are links into /usr.
  for (const top of ['bin', 'sbin', 'lib', 'lib64']) add({ kind: 'symlink', path: `/${top}`, target: `usr/${top}` });
  add({ kind: 'dir', path: '/tmp', mode: 0o1777 });
  add({ kind: 'dir', path: '/run', mode: 0o755 });
  add({ kind: 'dir', path: '/var/run', mode: 0o755 });

  addBinary(`${GALACTIC_DIR}/galactic`, input.executable);
  add({ kind: 'symlink', path: '/usr/local/bin/galactic', target: `${GALACTIC_DIR}/galactic` });
  for (const file of filesUnder(input.nodeModules)) {
    const path = `${GALACTIC_DIR}/node_modules/${file.slice(input.nodeModules.length + 1)}`;
    if (file.endsWith('.node')) addBinary(path, file);
    else add({ kind: 'file', path, source: file });
  }

  // iproute2: ip and its tables (/etc/iproute2: protocol and table names).
  addBinary('/usr/bin/ip', '/usr/bin/ip');
  for (const file of packageFiles('iproute2', /^\/(etc|usr\/share|usr\/lib)\/iproute2\//)) add({ kind: 'file', path: canonicalPath(file), source: file });

  // iptables, nft back end (what kube-proxy and Debian use by default), with every extension (rules of others list through them).
  addBinary('/usr/sbin/xtables-nft-multi', '/usr/sbin/xtables-nft-multi');
  for (const command of IPTABLES_COMMANDS) add({ kind: 'symlink', path: `/usr/sbin/${command}`, target: 'xtables-nft-multi' });
  for (const name of readdirSync(XTABLES_DIR).filter((n) => n.endsWith('.so'))) addBinary(`${XTABLES_DIR}/${name}`, join(XTABLES_DIR, name));
  for (const file of ['/etc/protocols', '/etc/ethertypes'].filter((f) => existsSync(f))) add({ kind: 'file', path: file, source: file });

  // The community plugins the galactic CNI plugin delegates to; the CNI installer copies them to nodes that lack them.
  for (const plugin of ['host-device', 'static']) addBinary(`${CNI_BIN_DIR}/${plugin}`, `/usr/lib/cni/${plugin}`);

  for (const binary of binaries) {
    for (const library of sharedLibraries(binary)) add({ kind: 'file', path: canonicalPath(library), source: library, mode: 0o755 });
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A file, or every file below a directory. */
function filesUnder(path: string): string[] {
  const children = readdirSafe(path);
  if (children === undefined) {
    if (!existsSync(path)) throw new Error(`${path} does not exist (run make build)`);
    return [path];
  }
  return children.sort().flatMap((child) => filesUnder(join(path, child)));
}
