// `galactic agent` stopped while it is still starting: a DaemonSet pod
// deleted before its Node has an srv6_net gets SIGTERM while the agent waits
// for the annotation; it must stop in order (exit 0), not die by the signal.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../lib/wait.js';
import { galacticCli } from './testing/executable.js';

/** A kubeconfig whose API server refuses connections: the agent keeps waiting for its Node. */
const unreachableKubeconfig = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

describe('galactic agent: SIGTERM during start-up', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'galactic-agent-main-'));
    await writeFile(join(dir, 'kubeconfig'), unreachableKubeconfig);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('stops in order while waiting for its Node, exit code 0', async () => {
    const [node, ...args] = galacticCli();
    const child = spawn(node!, [...args, 'agent', '--node-name', 'sjc', '--kubeconfig', join(dir, 'kubeconfig'), '--socket-path', join(dir, 'agent.sock'), '--mqtt-url', 'tcp://127.0.0.1:1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      await waitFor(() => output.includes('cannot read this node'), { what: 'the agent waiting for its Node', timeoutMs: 30_000 });
      child.kill('SIGTERM');
      expect(await exited, output).to.deep.equal({ code: 0, signal: null });
      expect(output).to.contain('signal received; shutting down');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
