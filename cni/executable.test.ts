// The self-contained executable as a runtime calls it: `make build`'s
// dist/galactic with CNI_* in the environment and the config on stdin.
import { expect } from 'chai';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { startLocalServer } from './fake-agent.js';
import { buildExecutable } from './kernel-fixture.js';
import { SPEC_EXAMPLE } from './fixtures.js';
import { waitFor } from '../lib/wait.js';

const REPO = resolve(import.meta.dirname, '..');
const GALACTIC = join(REPO, 'dist/galactic');

function galactic(args: string[], env: Record<string, string> = {}, input = '', bin = [GALACTIC]) {
  const out = spawnSync(bin[0]!, [...bin.slice(1), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, input, encoding: 'utf8', timeout: 60_000 });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('galactic executable (dist/galactic)', function () {
  this.timeout(180_000);
  let dir: string;

  before(() => {
    buildExecutable();
    dir = mkdtempSync(join(tmpdir(), 'galactic-exe-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the subcommands', () => {
    const help = galactic(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include('cni').and.include('agent').and.include('router');
    expect(galactic(['cni', '--help']).stdout).to.include('CNI_COMMAND=VERSION galactic');
    for (const name of ['agent', 'router', 'operator']) {
      const source = { agent: 'agent/main.ts', router: 'router/main.ts', operator: 'controllers/main.ts' }[name]!;
      if (!existsSync(join(REPO, source))) continue;
      const out = galactic([name, '--help']);
      expect(out.code, `${name} --help: ${out.stderr}`).to.equal(0);
      expect(out.stdout).to.include(`Usage: galactic ${name}`);
    }
  });

  it('prints the version info with CNI_COMMAND=VERSION', () => {
    const out = galactic([], { CNI_COMMAND: 'VERSION' });
    expect(out.code).to.equal(0);
    expect(JSON.parse(out.stdout)).to.deep.equal({ cniVersion: '1.1.0', supportedVersions: ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] });
  });

  it('prints a CNI error object and exits non-zero', () => {
    const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/var/run/netns/x', CNI_IFNAME: 'galactic0', CNI_PATH: dir };
    const bad = galactic([], env, JSON.stringify({ ...SPEC_EXAMPLE, vpcattachment: 'zzzz' }));
    expect(bad.code).to.equal(1);
    expect(JSON.parse(bad.stdout)).to.deep.include({ cniVersion: '1.0.0', code: 7 });
    const noHostDevice = galactic([], { ...env, GALACTIC_CNI_LOCK_DIR: dir }, JSON.stringify(SPEC_EXAMPLE));
    expect(JSON.parse(noHostDevice.stdout)).to.deep.include({ code: 101 });
    const noEnv = galactic([], { CNI_COMMAND: 'ADD' }, JSON.stringify(SPEC_EXAMPLE));
    expect(JSON.parse(noEnv.stdout)).to.deep.include({ code: 4 });
  });

  it('refuses an odd CNI_IFNAME, a config without type and a CNI_NETNS that is no namespace, each with details', () => {
    const plugins = join(dir, 'plugins');
    mkdirSync(plugins, { recursive: true });
    // Never run: the plugin refuses before delegating.
    writeFileSync(join(plugins, 'host-device'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/proc/self/ns/net', CNI_IFNAME: 'galactic0', CNI_PATH: plugins, GALACTIC_CNI_LOCK_DIR: dir };
    const error = (overrides: Record<string, string>, config: object = SPEC_EXAMPLE): { code: number; msg: string; details: string } => {
      const out = galactic([], { ...env, ...overrides }, JSON.stringify(config));
      expect(out.code, out.stdout).to.equal(1);
      return JSON.parse(out.stdout) as { code: number; msg: string; details: string };
    };
    const ifname = error({ CNI_IFNAME: 'eth#0' });
    expect(ifname).to.deep.include({ code: 4 });
    expect(ifname.msg).to.include('CNI_IFNAME "eth#0" is not a valid interface name: it contains "#"');
    expect(ifname.details).to.include('- CNI_IFNAME');
    const noType = error({}, { ...SPEC_EXAMPLE, type: undefined });
    expect(noType).to.deep.include({ code: 7 });
    expect(noType.details).to.include('- type must be "galactic", got nothing');
    const file = join(dir, 'not-a-namespace');
    writeFileSync(file, '');
    for (const [netns, why] of [[join(dir, 'gone'), 'it does not exist'], [file, 'it is not a namespace']]) {
      const bad = error({ CNI_NETNS: netns! });
      expect(bad).to.deep.include({ code: 4 });
      expect(bad.msg).to.include(why);
      expect(bad.details).to.include('CNI_NETNS');
    }
  });

  it('STATUS: ready with an agent on agent_socket, code 50 without', async () => {
    const socket = join(dir, 'agent.sock');
    const config = JSON.stringify({ ...SPEC_EXAMPLE, cniVersion: '1.1.0', agent_socket: socket });
    expect(JSON.parse(galactic([], { CNI_COMMAND: 'STATUS' }, config).stdout)).to.deep.include({ code: 50 });
    let server: Server | undefined;
    try {
      server = await startLocalServer(socket, { Register: () => ({ confirmed: true }), Deregister: () => ({ confirmed: true }) });
      // Asynchronously: the server answers from this process's event loop.
      const ok = await new Promise<{ code: number; stdout: string }>((done) => {
        const child = execFile(GALACTIC, [], { env: { CNI_COMMAND: 'STATUS' } }, (error, stdout) => done({ code: error ? Number(error.code) : 0, stdout }));
        child.stdin!.end(config);
      });
      expect(ok.code, ok.stdout).to.equal(0);
      expect(ok.stdout).to.equal('');
    } finally {
      server?.forceShutdown();
    }
  });

  it('install-cni --wait installs, then stays up until SIGTERM (the DaemonSet container must not exit)', async () => {
    const nodeBin = join(dir, 'node-bin');
    mkdirSync(nodeBin, { recursive: true });
    const child = spawn(GALACTIC, ['install-cni', '--dir', nodeBin, '--plugins-dir', join(dir, 'no-plugins'), '--wait'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      await waitFor(() => log.includes('CNI plugins installed') || child.exitCode !== null, { what: 'install-cni to install', timeoutMs: 60_000 });
      expect(existsSync(join(nodeBin, 'galactic')), log).to.equal(true);
      // Still running: it answers the signal (a process that had exited would not log this).
      child.kill('SIGTERM');
      expect(await exited, log).to.equal(0);
      expect(log).to.include('signal received; shutting down');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('the CNI path loads no subcommand chunk and bundles no npm package', () => {
    const meta = JSON.parse(readFileSync(join(REPO, 'dist/galactic.meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(meta.inputs).filter((input) => input.includes('node_modules'))).to.deep.equal([]);
    const hook = join(dir, 'hook.cjs');
    writeFileSync(hook, `const M = require('node:module'); const load = M._load;
M._load = function (request, ...rest) { if (/chunks/.test(request)) process.stderr.write('CHUNK ' + request + '\\n'); return load.call(this, request, ...rest); };`);
    const viaNode = [process.execPath, '--require', hook, join(REPO, 'dist/galactic.cjs')];
    const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/var/run/netns/x', CNI_IFNAME: 'galactic0', CNI_PATH: dir, GALACTIC_CNI_LOCK_DIR: dir };
    const add = galactic([], env, JSON.stringify(SPEC_EXAMPLE), viaNode);
    expect(JSON.parse(add.stdout)).to.deep.include({ code: 101 });
    expect(add.stderr).to.not.include('CHUNK');
    expect(galactic(['router', '--help'], {}, '', viaNode).stderr, 'the hook sees chunks').to.include('CHUNK');
  });
});
