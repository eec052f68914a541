// `galactic agent --prepare-host` on a kernel with VRF and SRv6 (hack/kernel:
// this machine's kernel if it has them, else a qemu guest), in a bare network
// namespace whose FORWARD policy drops: the agent prepares it, its own
// prerequisite check then passes (it starts), and a second run finds nothing
// to change and leaves the namespace exactly as it was.
import { expect } from 'chai';
import { type KernelHost, type Process, startKernelHost } from '../hack/kernel/index.js';
import { galacticCli } from './testing/executable.js';

const NODE = 'gprep1';
const SRV6_NET = '2001:db8:ff07::/48';
const LOOPBACK = '2001:db8:ff07:0:ffff:ffff:ffff:ffff';
const INTERFACES = ['all', 'default', 'lo-galactic'];
const SYSCTLS = ['net.vrf.strict_mode', ...INTERFACES.flatMap((i) => ['ipv4.conf.IF.forwarding', 'ipv4.conf.IF.rp_filter', 'ipv6.conf.IF.forwarding', 'ipv6.conf.IF.accept_ra', 'ipv6.conf.IF.autoconf', 'ipv6.conf.IF.seg6_enabled'].map((k) => `net.${k.replace('IF', i)}`))];

describe('agent --prepare-host on a kernel with VRF', function () {
  this.timeout(15 * 60_000);
  let host: KernelHost;
  let cli: string[];
  let agent: Process | undefined;
  const log: string[] = [];

  async function sh(script: string): Promise<string> {
    const result = await host.sh(script, { timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${script}\n${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  /** Everything --prepare-host may touch in the namespace. */
  const snapshot = (): Promise<string> =>
    sh(
      [
        `ip -n ${NODE} -d link show`,
        `ip -n ${NODE} addr show`,
        `ip -n ${NODE} sr tunsrc show`,
        `ip netns exec ${NODE} sysctl ${SYSCTLS.join(' ')}`,
        `ip netns exec ${NODE} ip6tables -S FORWARD`,
      ].join(' && '),
    );

  /** Runs the agent with --prepare-host until it has started (its check passed); returns its output. */
  async function prepareAndStart(): Promise<string> {
    agent = await host.spawn(
      ['ip', 'netns', 'exec', NODE, ...cli, 'agent', '--prepare-host', '--srv6-net', SRV6_NET, '--socket-path', `/run/${NODE}/agent.sock`, '--mqtt-url', 'tcp://127.0.0.1:1'],
      { onOutput: (data) => log.push(`agent: ${data.trimEnd()}`) },
    );
    const output = await agent.waitForOutput('agent started', 300_000);
    // Stopped like a killed pod: preparation must not depend on a clean exit.
    await agent.kill('SIGKILL');
    await agent.exited();
    agent = undefined;
    return output;
  }

  const changesIn = (output: string): string[] => {
    const line = output.split('\n').find((l) => /"msg":"host (already )?prepared"/.test(l));
    if (!line) throw new Error(`no preparation report in:\n${output}`);
    return (JSON.parse(line) as { changes: string[] }).changes;
  };

  before(async () => {
    cli = galacticCli();
    host = await startKernelHost({ log: (line) => log.push(line) });
    await sh(`ip netns add ${NODE} && mkdir -p /run/${NODE} && ip -n ${NODE} link set lo up && ip netns exec ${NODE} ip6tables -P FORWARD DROP`);
  });

  after(async () => {
    await agent?.kill('SIGKILL').catch(() => undefined);
    await host?.sh(`ip netns del ${NODE}; rm -rf /run/${NODE}`).catch(() => undefined);
    await host?.close();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(log.slice(-80).join('\n'));
  });

  it('prepares a bare namespace so that the prerequisite check passes', async () => {
    const changes = changesIn(await prepareAndStart());
    expect(changes).to.include.members([
      'ip link add lo-galactic type dummy',
      `ip -6 addr add ${LOOPBACK}/128 dev lo-galactic nodad`,
      `ip sr tunsrc set ${LOOPBACK}`,
      'sysctl -w net.vrf.strict_mode=1',
      'sysctl -w net.ipv6.conf.lo-galactic.seg6_enabled=1',
      `ip6tables -I FORWARD -d ${SRV6_NET} -j ACCEPT`,
    ]);
    const state = await snapshot();
    expect(state).to.contain(`inet6 ${LOOPBACK}/128`);
    expect(state).to.contain(`tunsrc addr ${LOOPBACK}`);
    expect(state).to.contain(`-A FORWARD -d ${SRV6_NET} -j ACCEPT`);
  });

  it('a second run changes nothing', async () => {
    const before = await snapshot();
    expect(changesIn(await prepareAndStart())).to.deep.equal([]);
    expect(await snapshot()).to.equal(before);
  });
});
