import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CniError, ErrorCode } from './errors.js';
import { acquireLock, withLock } from './lock.js';

const REPO = resolve(import.meta.dirname, '..');

// A separate process: under the lock, take the lowest free table from a shared file, like ADD does.
const CHILD = `
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { withLock } from './cni/lock.ts';
import { allocateTable } from './cni/plan.ts';
const [dir, state, log] = process.argv.slice(1);
await withLock(dir, 'vrf-table', async () => {
  appendFileSync(log, 'enter ' + process.pid + '\\n');
  const used = JSON.parse(readFileSync(state, 'utf8'));
  await new Promise((r) => setTimeout(r, 5));
  used.push(allocateTable(used));
  writeFileSync(state, JSON.stringify(used));
  appendFileSync(log, 'leave ' + process.pid + '\\n');
});
`;

function runChild(dir: string, state: string, log: string): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, dir, state, log], { cwd: REPO, stdio: 'inherit' });
    child.on('close', (code) => done(code ?? 1));
  });
}

describe('cni lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'galactic-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serialises processes: concurrent allocations get distinct tables', async function () {
    this.timeout(60_000);
    const state = join(dir, 'tables.json');
    const log = join(dir, 'log');
    writeFileSync(state, '[]');
    writeFileSync(log, '');
    const codes = await Promise.all(Array.from({ length: 6 }, () => runChild(join(dir, 'locks'), state, log)));
    expect(codes).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect((JSON.parse(readFileSync(state, 'utf8')) as number[]).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]!.replace('enter', 'leave'), 'critical sections never interleave').to.equal(lines[i + 1]);
    }
    expect(existsSync(join(dir, 'locks', 'vrf-table.lock'))).to.equal(false);
  });

  it('creates the lock directory and releases on failure', async () => {
    const failure = await withLock(join(dir, 'a', 'b'), 'x', async () => {
      throw new Error('inside');
    }).catch((error: Error) => error);
    expect((failure as Error).message).to.equal('inside');
    expect(existsSync(join(dir, 'a', 'b', 'x.lock'))).to.equal(false);
  });

  it('takes over a lock whose owner is dead', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, 'x.lock'), dead);
    const lock = await acquireLock(dir, 'x', { timeoutMs: 2000 });
    expect(readFileSync(lock.path, 'utf8')).to.equal(String(process.pid));
    lock.release();
  });

  it('takes over an empty lock file once it is old, waits while it is fresh', async () => {
    const path = join(dir, 'x.lock');
    writeFileSync(path, '');
    const error = await acquireLock(dir, 'x', { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CniError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    (await acquireLock(dir, 'x', { timeoutMs: 1000 })).release();
  });

  it('gives up with code 11 (try again later) while a live owner holds it', async () => {
    writeFileSync(join(dir, 'x.lock'), String(process.ppid));
    const error = (await acquireLock(dir, 'x', { timeoutMs: 150 }).catch((e: unknown) => e)) as CniError;
    expect(error).to.be.instanceOf(CniError);
    expect(error.code).to.equal(ErrorCode.TryAgainLater);
    expect(error.message).to.include(`held by pid ${process.ppid}`);
  });

  it('never removes a lock it does not hold', async () => {
    const lock = await acquireLock(dir, 'x');
    writeFileSync(lock.path, '12345'); // someone took it over
    lock.release();
    expect(readFileSync(lock.path, 'utf8')).to.equal('12345');
  });
});
