// A lock across processes without native code: a lock file created with
// O_CREAT|O_EXCL holding the owner's pid. A lock whose owner is gone (killed
// mid-ADD) is stale and taken over; an empty one (owner killed between
// create and write) counts as stale once it is old. Used around the VRF table
// choice, so concurrent ADDs on a node never pick the same table. (The
// kernel's net.vrf.strict_mode=1 rejects a second VRF on a table as well.)
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CniError, ErrorCode } from './errors.js';

export interface LockOptions {
  /** Give up (code 11, try again later) after this long. */
  timeoutMs?: number;
  /** An empty lock file older than this is stale. */
  staleEmptyMs?: number;
  /** Liveness of a pid; injectable for tests. */
  isAlive?: (pid: number) => boolean;
}

export interface Lock {
  readonly path: string;
  release(): void;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readOwner(path: string): { text: string; ageMs: number } | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    return { text, ageMs: Date.now() - statSync(path).mtimeMs };
  } catch {
    return undefined; // released meanwhile
  }
}

/** Acquires `dir/name.lock`, waiting for other holders. */
export async function acquireLock(dir: string, name: string, options: LockOptions = {}): Promise<Lock> {
  const path = join(dir, `${name}.lock`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleEmptyMs = options.staleEmptyMs ?? 10_000;
  const isAlive = options.isAlive ?? processAlive;
  const deadline = Date.now() + timeoutMs;
  let madeDir = false;
  let wait = 2;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      let released = false;
      return {
        path,
        release: () => {
          if (released) return;
          released = true;
          try {
            if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !madeDir) {
        mkdirSync(dir, { recursive: true });
        madeDir = true;
        continue;
      }
      if (code !== 'EEXIST') {
        throw new CniError(ErrorCode.KernelFailure, `cannot create the lock file ${path}: ${(error as Error).message}`, 'set GALACTIC_CNI_LOCK_DIR to a writable directory');
      }
    }
    const owner = readOwner(path);
    if (owner) {
      const pid = Number(owner.text);
      const stale = owner.text === '' ? owner.ageMs > staleEmptyMs : !Number.isInteger(pid) || pid <= 0 || !isAlive(pid);
      // Re-read right before removing, so a lock just re-taken by someone else survives.
      if (stale && readOwner(path)?.text === owner.text) {
        try {
          unlinkSync(path);
        } catch {
          // someone else removed it first
        }
        continue;
      }
    }
    if (Date.now() >= deadline) {
      throw new CniError(
        ErrorCode.TryAgainLater,
        `timed out after ${timeoutMs} ms waiting for the lock ${path} (held by pid ${owner?.text || 'unknown'})`,
        'another galactic CNI call holds the VRF table lock; if no such process exists, remove the file',
      );
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 25);
  }
}

/** Runs `fn` holding the lock. */
export async function withLock<T>(dir: string, name: string, fn: () => Promise<T>, options?: LockOptions): Promise<T> {
  const lock = await acquireLock(dir, name, options);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
