import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'galactic-kernel-';
const OWNER_FILE = 'owner.pid';

export interface RunDir {
  path: string;
  /** Shared with the kernel host (writable). */
  scratchDir: string;
}

/** Per-host temp dir; also removes those left behind by test processes that were killed. */
export async function createRunDir(): Promise<RunDir> {
  removeOrphans();
  const path = await mkdtemp(join(tmpdir(), PREFIX));
  await writeFile(join(path, OWNER_FILE), String(process.pid));
  const scratchDir = join(path, 'scratch');
  await mkdir(scratchDir);
  return { path, scratchDir };
}

function removeOrphans(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const ownerFile = join(dir, OWNER_FILE);
    if (!existsSync(ownerFile)) continue; // still being created, or not ours
    const owner = Number(readFileSync(ownerFile, 'utf8'));
    if (owner > 0 && !isAlive(owner)) rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
