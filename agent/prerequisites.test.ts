// Host prerequisites: the judgement of facts (pure), and the agent process
// refusing to start on this machine's kernel (no vrf module), naming fixes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseSrv6Net } from '../lib/sid.js';
import { type HostFacts, type PrerequisiteSettings, checkedInterfaces, cniPluginDirs, evaluatePrerequisites, findCniPlugins, forwardAccepts, requiredSysctls } from './prerequisites.js';
import { type Netns, createNetns } from './testing/netns.js';

const settings: PrerequisiteSettings = { encapDevice: 'lo-galactic', srv6Net: parseSrv6Net('2001:db8:ff01::/48'), srv6NetText: '2001:db8:ff01::/48' };
const LOOPBACK = '2001:db8:ff01:0:ffff:ffff:ffff:ffff';

function healthyFacts(): HostFacts {
  return {
    sysctls: requiredSysctls(checkedInterfaces(settings, ['eth1'])),
    encapLink: { up: true, addresses: [LOOPBACK] },
    tunsrc: LOOPBACK,
    uplinks: ['eth1'],
    forward: '-P FORWARD DROP\n-A FORWARD -d 2001:db8:ff00::/40 -j ACCEPT\n',
    cniPluginDirs: ['/opt/cni/bin', '/usr/lib/cni'],
    cniPlugins: ['host-device', 'static'],
    cniConfigs: ['00-multus.conf'],
  };
}

const fixes = (facts: HostFacts): string[] => evaluatePrerequisites(facts, settings).errors.map((e) => e.fix);

describe('agent prerequisites (SPEC §6)', () => {
  it('a prepared host passes', () => {
    expect(evaluatePrerequisites(healthyFacts(), settings)).to.deep.equal({ errors: [], warnings: [] });
  });

  it('names the vrf module and strict mode', () => {
    const facts = healthyFacts();
    delete facts.sysctls['net.vrf.strict_mode'];
    expect(fixes(facts)).to.deep.equal(['modprobe vrf && sysctl -w net.vrf.strict_mode=1']);
    facts.sysctls['net.vrf.strict_mode'] = '0';
    const [error] = evaluatePrerequisites(facts, settings).errors;
    expect(error).to.deep.equal({ what: 'net.vrf.strict_mode is 0: End.DT46 with vrftable needs 1', fix: 'sysctl -w net.vrf.strict_mode=1' });
  });

  it('names the encap device, its loopback address and the tunnel source', () => {
    const facts = healthyFacts();
    delete facts.encapLink;
    facts.tunsrc = '::';
    expect(fixes(facts)).to.deep.equal([
      'ip link add lo-galactic type dummy && ip link set lo-galactic up',
      `ip -6 addr add ${LOOPBACK}/128 dev lo-galactic`,
      `ip sr tunsrc set ${LOOPBACK}`,
    ]);
    facts.encapLink = { up: false, addresses: [LOOPBACK] };
    facts.tunsrc = LOOPBACK;
    expect(fixes(facts)).to.deep.equal(['ip link set lo-galactic up']);
  });

  it('names every wrong sysctl, one fix command per interface', () => {
    const facts = healthyFacts();
    facts.sysctls['net.ipv6.conf.eth1.seg6_enabled'] = '0';
    facts.sysctls['net.ipv4.conf.eth1.rp_filter'] = '2';
    delete facts.sysctls['net.ipv6.conf.all.accept_ra'];
    const { errors } = evaluatePrerequisites(facts, settings);
    expect(errors).to.deep.equal([
      { what: 'sysctls of all: net.ipv6.conf.all.accept_ra is missing (want 0)', fix: 'sysctl -w net.ipv6.conf.all.accept_ra=0' },
      {
        what: 'sysctls of eth1: net.ipv4.conf.eth1.rp_filter is 2 (want 0), net.ipv6.conf.eth1.seg6_enabled is 0 (want 1)',
        fix: 'sysctl -w net.ipv4.conf.eth1.rp_filter=0 net.ipv6.conf.eth1.seg6_enabled=1',
      },
    ]);
  });

  it('requires FORWARD to accept the SRv6 prefix', () => {
    const net = settings.srv6Net;
    expect(forwardAccepts('-P FORWARD ACCEPT\n', net)).to.equal(true);
    expect(forwardAccepts('-P FORWARD DROP\n-A FORWARD -d 2001:db8:ff01::/48 -j ACCEPT\n', net)).to.equal(true);
    expect(forwardAccepts('-P FORWARD DROP\n-A FORWARD -d 2001:db8:ff02::/48 -j ACCEPT\n', net)).to.equal(false);
    expect(forwardAccepts('-P FORWARD DROP\n-A FORWARD -o G000000cIn001H -j ACCEPT\n', net)).to.equal(false);
    const facts = healthyFacts();
    facts.forward = '-P FORWARD DROP\n';
    expect(fixes(facts)).to.deep.equal(['ip6tables -I FORWARD -d 2001:db8:ff01::/48 -j ACCEPT']);
  });

  it('warns, without failing, about what a container may not see: uplink, CNI plugins, Multus', () => {
    const facts = { ...healthyFacts(), uplinks: [], cniPlugins: [], cniConfigs: [] };
    facts.sysctls = requiredSysctls(checkedInterfaces(settings, []));
    const { errors, warnings } = evaluatePrerequisites(facts, settings);
    expect(errors).to.deep.equal([]);
    expect(warnings.map((w) => w.what)).to.deep.equal([
      'no uplink found (no IPv6 route through a gateway): its sysctls are not checked',
      'community CNI plugins host-device, static not found in /opt/cni/bin:/usr/lib/cni (the galactic CNI plugin delegates to them)',
      'no Multus configuration in /etc/cni/net.d',
    ]);
  });

  it('looks for the community plugins where the CNI plugin will: CNI_PATH when set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'galactic-cni-path-'));
    try {
      writeFileSync(join(dir, 'static'), '');
      expect(cniPluginDirs({ CNI_PATH: `/nonexistent:${dir}` })).to.deep.equal(['/nonexistent', dir]);
      expect(findCniPlugins(cniPluginDirs({ CNI_PATH: `/nonexistent:${dir}` }))).to.deep.equal(['static']);
      expect(cniPluginDirs({})).to.deep.equal(['/opt/cni/bin', '/usr/lib/cni']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('galactic agent on an unprepared host (network namespace on this kernel)', function () {
  this.timeout(60_000);
  let ns: Netns;
  let dir: string;

  before(async () => {
    ns = await createNetns('agent-prereq');
    dir = mkdtempSync(join(tmpdir(), 'galactic-agent-'));
  });

  after(async () => {
    await ns?.delete();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 naming each missing prerequisite with its fix, and opens no socket', async () => {
    const socket = join(dir, 'agent.sock');
    const bin = join(import.meta.dirname, '../bin/galactic.mjs');
    const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, bin, 'agent', '--srv6-net', '2001:db8:ff01::/48', '--socket-path', socket, '--mqtt-url', 'tcp://127.0.0.1:1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code, stderr).to.equal(1);
    const report = stderr.slice(stderr.indexOf('galactic agent: this host'));
    for (const fix of [
      'fix: modprobe vrf && sysctl -w net.vrf.strict_mode=1',
      'fix: ip link add lo-galactic type dummy && ip link set lo-galactic up',
      `fix: ip -6 addr add ${LOOPBACK}/128 dev lo-galactic`,
      `fix: ip sr tunsrc set ${LOOPBACK}`,
      'net.ipv6.conf.all.seg6_enabled=1',
      'net.ipv6.conf.lo-galactic.forwarding=1',
    ]) {
      expect(report).to.contain(fix);
    }
    expect(report).to.not.contain('ip6tables'); // a fresh namespace forwards everything
    expect(existsSync(socket)).to.equal(false);
  });
});
