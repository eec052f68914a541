// The galactic CLI as nodes run it: the bundle of hack/build.mjs
// (dist/galactic.cjs), rebuilt when a source file is newer. In the qemu
// guest, where node is 20-35× slower, it starts in a fraction of the time
// bin/galactic.mjs (tsx compiling the sources) takes.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const BUNDLE = join(REPO, 'dist/galactic.cjs');
const SOURCES = ['agent', 'router', 'lib', 'proto', 'cli', 'cni', 'controllers'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|js)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const mtime = (file: string): number => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/** argv prefix running the galactic CLI from the current sources: `[node, dist/galactic.cjs]`. */
export function galacticCli(): string[] {
  const newest = Math.max(...SOURCES.map((dir) => newestSource(join(REPO, dir))));
  if (mtime(join(REPO, 'dist/chunks/agent-main.cjs')) < newest || mtime(BUNDLE) < newest) {
    execFileSync(process.execPath, ['hack/build.mjs'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return [process.execPath, BUNDLE];
}
