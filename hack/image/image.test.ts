// `make image`: the archive imports into a real containerd (a throwaway one,
// its own root, state and socket) under the name Kubernetes resolves
// `image: galactic:<version>` to, and its containers run what the nodes need:
// galactic (with the router's SQLite store, a native module beside the
// executable), ip, ip6tables, and the community CNI plugins.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { waitFor } from '../../lib/wait.js';
import { galacticExecutable } from '../../test/support/datapath.js';
import { buildImage } from './build.js';
import { fullyQualified } from './oci.js';

const run = promisify(execFile);

describe('make image: OCI archive imported into containerd', function () {
  this.timeout(600_000);
  const dir = mkdtempSync('/var/tmp/galactic-image-test-');
  const socket = join(dir, 'containerd.sock');
  const archive = join(dir, 'galactic-image.tar');
  let containerd: ChildProcess | undefined;
  let reference = '';
  let runs = 0;

  const ctr = async (...args: string[]): Promise<string> => (await run('ctr', ['--address', socket, '-n', 'k8s.io', ...args], { maxBuffer: 16 << 20 })).stdout;
  /** `ctr run` of a command in a fresh container of the image. */
  const newContainerId = (): string => `galactic-image-test-${process.pid}-${runs++}`;
  const runArgs = (id: string, command: string[], env: string[] = [], mounts: string[] = []): string[] => [
    ...['--address', socket, '-n', 'k8s.io', 'run', '--rm'],
    ...env.flatMap((e) => ['--env', e]),
    ...mounts.flatMap((m) => ['--mount', m]),
    ...[fullyQualified(reference), id, ...command],
  ];
  /** Its stdout and stderr together, once it exits. */
  const inContainer = async (command: string[], env: string[] = [], mounts: string[] = []): Promise<string> => {
    const { stdout, stderr } = await run('ctr', runArgs(newContainerId(), command, env, mounts), { timeout: 120_000 });
    return stdout + stderr;
  };

  before(async function () {
    galacticExecutable();
    reference = buildImage(archive).reference;
    writeFileSync(
      join(dir, 'config.toml'),
      `version = 2\nroot = "${dir}/root"\nstate = "${dir}/state"\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n[grpc]\n  address = "${socket}"\n`,
    );
    containerd = spawn('containerd', ['--config', join(dir, 'config.toml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    containerd.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    await waitFor(async () => existsSync(socket) && (await ctr('version').then(() => true, () => false)), { what: `containerd on ${socket} (${log})`, timeoutMs: 60_000 });
    await ctr('images', 'import', archive);
  });

  after(async () => {
    if (containerd && containerd.exitCode === null) {
      const exited = new Promise((resolve) => containerd!.once('exit', resolve));
      containerd.kill('SIGTERM');
      await exited;
    }
    // Snapshots are overlay mounts below the root: unmount before removing.
    await run('sh', ['-c', `grep -o " ${dir}/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is listed under the name a pod spec `image: galactic:<version>` resolves to', async () => {
    expect(reference).to.match(/^galactic:\d+\.\d+\.\d+/);
    expect(await ctr('images', 'ls', '-q')).to.include(`docker.io/library/${reference}`);
  });

  it('runs galactic, ip and ip6tables (nf_tables), and carries host-device and static', async () => {
    expect(await inContainer(['galactic', '--help'])).to.match(/^Usage: galactic COMMAND/);
    expect(await inContainer(['ip', '-V'])).to.match(/iproute2/);
    expect(await inContainer(['ip6tables', '-V'])).to.match(/nf_tables/);
    // CNI plugins answer VERSION without a runtime around them.
    for (const plugin of ['host-device', 'static']) {
      expect(JSON.parse(await inContainer([`/opt/cni/bin/${plugin}`], ['CNI_COMMAND=VERSION']))).to.have.property('supportedVersions');
    }
  });

  it('installs the CNI plugins into a mounted node directory (galactic install-cni, as the CNI DaemonSet runs it)', async () => {
    const nodeBin = join(dir, 'node-cni-bin');
    mkdirSync(nodeBin);
    await inContainer(['galactic', 'install-cni', '--dir', '/host/opt/cni/bin'], [], [`type=bind,src=${nodeBin},dst=/host/opt/cni/bin,options=rbind:rw`]);
    expect(readdirSync(nodeBin).sort()).to.deep.equal(['galactic', 'host-device', 'static']);
    const { stdout } = await run(join(nodeBin, 'galactic'), ['--help']);
    expect(stdout).to.match(/^Usage: galactic COMMAND/); // the single executable itself, runnable on the node
  });

  it("opens the router's default SQLite store (better-sqlite3 beside the executable)", async () => {
    const id = newContainerId();
    const router = spawn('ctr', runArgs(id, ['galactic', 'router', '--embedded-broker', '0', '--db-url', '/tmp/router.db']));
    let output = '';
    router.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    router.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => router.once('exit', resolve));
    try {
      await waitFor(() => /"msg":"router started"/.test(output) || router.exitCode !== null, { what: 'the router in the container', timeoutMs: 120_000 });
      expect(output).to.match(/"msg":"store open","kind":"sqlite"/);
    } finally {
      await ctr('task', 'kill', '-s', 'SIGKILL', id).catch(() => undefined);
      await exited;
    }
  });
});
