import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startKernelHost, type KernelHost } from './index.js';

describe('kernel host', function () {
  this.timeout(120_000); // first boot may download the kernel; node in the guest is slow
  let host: KernelHost;

  before(async function () {
    this.timeout(600_000);
    const started = Date.now();
    host = await startKernelHost();
    console.log(`      ${host.kind} kernel host ready in ${Date.now() - started} ms`);
  });

  after(async () => {
    await host?.close();
  });

  it('propagates exit codes', async () => {
    expect((await host.sh('exit 3')).code).to.equal(3);
    expect((await host.exec(['true'])).code).to.equal(0);
    expect((await host.exec(['no-such-command-galactic'])).code).to.equal(127);
  });

  it('round-trips stdin, env, stdout and stderr', async () => {
    const result = await host.sh('cat; echo "$GREETING" >&2', { input: 'héllo\nworld\n', env: { GREETING: 'from env' } });
    expect(result).to.deep.equal({ code: 0, stdout: 'héllo\nworld\n', stderr: 'from env\n' });
    expect((await host.exec(['pwd'], { cwd: '/' })).stdout).to.equal('/\n');
  });

  it('rejects an exec that outlives its timeout', async () => {
    let error: Error | undefined;
    await host.sh('echo partial; sleep 30', { timeoutMs: 500 }).catch((err: Error) => (error = err));
    expect(error?.message).to.match(/timed out after 500 ms[\s\S]*partial/);
  });

  it('creates a VRF and an End.DT46 SID in a fresh netns', async () => {
    const ns = `galactic-test-${process.pid}`;
    const script = `set -e
      ip netns add ${ns}
      ip netns exec ${ns} sysctl -qw net.vrf.strict_mode=1
      ip -n ${ns} link add v1 type vrf table 10
      ip -n ${ns} link set v1 up
      ip -n ${ns} -6 route add 2001:db8::1/128 encap seg6local action End.DT46 vrftable 10 dev v1
      ip -n ${ns} -6 route show 2001:db8::1/128`;
    try {
      const result = await host.sh(script);
      expect(result.stderr).to.equal('');
      expect(result.code).to.equal(0);
      expect(result.stdout).to.match(/seg6local action End\.DT46 vrftable 10 dev v1/);
    } finally {
      await host.exec(['ip', 'netns', 'del', ns]);
    }
    expect((await host.exec(['ip', 'netns', 'list'])).stdout).not.to.include(ns);
  });

  it('kills a spawned process and observes its exit', async () => {
    const daemon = await host.spawn(['sh', '-c', 'echo ready; exec sleep 600']);
    await daemon.waitForOutput('ready');
    expect((await host.exec(['kill', '-0', String(daemon.pid)])).code).to.equal(0);
    await daemon.kill();
    expect(await daemon.exited()).to.equal(128 + 15);
    expect(daemon.output()).to.equal('ready\n');
    expect((await host.exec(['kill', '-0', String(daemon.pid)])).code).not.to.equal(0);
  });

  it('shares scratchDir both ways', async () => {
    await writeFile(join(host.scratchDir, 'from-host.txt'), 'written on the host\n');
    const result = await host.sh('cat from-host.txt && echo "written by $(uname -r)" > from-kernel.txt', {
      cwd: host.scratchDir,
    });
    expect(result.stdout).to.equal('written on the host\n');
    const kernel = (await host.exec(['uname', '-r'])).stdout.trim();
    expect(await readFile(join(host.scratchDir, 'from-kernel.txt'), 'utf8')).to.equal(`written by ${kernel}\n`);
  });

  it('keeps concurrent execs apart', async () => {
    const runs = Array.from({ length: 12 }, (_, i) =>
      host.sh(`sleep 0.$((${i} % 4)); echo out-$N; echo err-$N >&2; exit $N`, { env: { N: String(i) } }),
    );
    const results = await Promise.all(runs);
    results.forEach((result, i) => expect(result).to.deep.equal({ code: i, stdout: `out-${i}\n`, stderr: `err-${i}\n` }));
  });

  it('forwards a port in the kernel host to a server here, byte for byte, until closed', async () => {
    // Answers with the SHA-256 of the request body.
    const server = createServer((req, res) => {
      const hash = createHash('sha256');
      req.on('data', (chunk: Buffer) => hash.update(chunk));
      req.on('end', () => res.end(hash.digest('hex')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hostPort = (server.address() as AddressInfo).port;
    const guestPort = 20_000 + (process.pid % 10_000);
    const forward = await host.forwardToHost(guestPort, hostPort);
    try {
      // 3 MB through two concurrent connections; the guest needs no network device for it.
      const script = `for i in 1 2; do head -c 1500000 /dev/zero | tr '\\0' "$i" | tee sent-$i | curl -sS --data-binary @- http://127.0.0.1:${guestPort}/ > got-$i & done; wait
        for i in 1 2; do echo "$(sha256sum < sent-$i | cut -d' ' -f1) $(cat got-$i)"; done`;
      const result = await host.sh(script, { timeoutMs: 60_000, cwd: host.scratchDir });
      const lines = result.stdout.trim().split('\n');
      expect(lines, result.stderr).to.have.length(2);
      for (const line of lines) {
        const [sent, echoed] = line.split(' ');
        expect(echoed).to.equal(sent);
      }
    } finally {
      await forward.close();
      server.close();
    }
    expect((await host.sh(`curl -sS http://127.0.0.1:${guestPort}/`)).code, 'still listening after close()').not.to.equal(0);
  });

  it('measures exec latency', async () => {
    const average = async (argv: string[], times: number) => {
      const started = Date.now();
      for (let i = 0; i < times; i++) expect((await host.exec(argv)).code).to.equal(0);
      return Math.round((Date.now() - started) / times);
    };
    const trueMs = await average(['true'], 10);
    const nodeMs = await average(['node', '-e', '0'], 3);
    console.log(`      exec(['true']) ${trueMs} ms, exec(['node', '-e', '0']) ${nodeMs} ms (${host.kind})`);
  });
});
