// The commands against a model of the kernel (FakeSystem): order of
// operations, results, rollback at every failure point, DEL idempotency,
// CHECK, GC and STATUS. The same behaviour on a real kernel: kernel.test.ts.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../lib/log.js';
import { ErrorCode } from './errors.js';
import { FakeSystem } from './fake-system.js';
import { SPEC_EXAMPLE } from './fixtures.js';
import { type Outcome, invoke } from './main.js';

const H = 'G0000000jU00GH';
const V = 'G0000000jU00GV';
const G = 'G0000000jU00GG';

describe('cni commands (model kernel)', () => {
  let sys: FakeSystem;
  let lockDir: string;
  const env = (command: string, containerId = 'pod1') => ({
    CNI_COMMAND: command,
    CNI_CONTAINERID: containerId,
    CNI_NETNS: '/var/run/netns/pod',
    CNI_IFNAME: 'galactic0',
    CNI_PATH: '/opt/cni/bin',
    GALACTIC_CNI_LOCK_DIR: lockDir,
  });
  const call = (command: string, config: object = SPEC_EXAMPLE, containerId?: string): Promise<Outcome> =>
    invoke({ env: env(command, containerId), stdin: JSON.stringify(config), sys, log: memoryLogger() });
  const errorOf = (outcome: Outcome): { code: number; msg: string; details?: string; cniVersion: string } => {
    expect(outcome.code, outcome.stdout).to.equal(1);
    return JSON.parse(outcome.stdout) as { code: number; msg: string; details?: string; cniVersion: string };
  };

  beforeEach(() => {
    sys = new FakeSystem();
    lockDir = mkdtempSync(join(tmpdir(), 'galactic-cni-'));
  });
  afterEach(() => rmSync(lockDir, { recursive: true, force: true }));

  describe('ADD', () => {
    it('refuses a CNI_NETNS that is missing or not a namespace before any kernel change (code 4)', async () => {
      sys.existingPaths.add('/etc/hostname');
      for (const [netns, why] of [['/var/run/netns/gone', 'it does not exist'], ['/etc/hostname', 'it is not a namespace']] as const) {
        sys.ops = [];
        const error = errorOf(await invoke({ env: { ...env('ADD'), CNI_NETNS: netns }, stdin: JSON.stringify(SPEC_EXAMPLE), sys, log: memoryLogger() }));
        expect(error).to.deep.include({ code: ErrorCode.InvalidEnvironment, msg: `CNI_NETNS "${netns}" is not a network namespace: ${why}` });
        expect(error.details).to.match(/^CNI_NETNS: the runtime passes the path/);
        expect(sys.ops).to.deep.equal(['netns']);
      }
    });

    it('builds VRF, veth, sysctls, routes, FORWARD rules, delegates host-device, then registers', async () => {
      const out = await call('ADD');
      expect(out.code, out.stdout).to.equal(0);
      const ops = sys.ops;
      expect(ops.slice(0, 4)).to.deep.equal(['netns', 'links', `ip6: link add ${V} type vrf table 1`, `ip6: link set dev ${V} alias galactic:pod1:galactic0`]);
      const at = (prefix: string): number => ops.findIndex((o) => o.startsWith(prefix));
      expect(at('ip6: link add G0000000jU00GH')).to.be.greaterThan(at('ip6: link add G0000000jU00GV'));
      expect(at('sysctl')).to.be.greaterThan(at('ip6: route add'));
      for (const later of ['ip4: route add', 'iptables4', 'iptables6', 'delegate ADD']) expect(at(later), later).to.be.greaterThan(at('sysctl'));
      expect(ops.at(-1)).to.equal('agent Register');

      expect(sys.links_.get(V)).to.include({ kind: 'vrf', table: 1, up: true, alias: 'galactic:pod1:galactic0' });
      expect(sys.links_.get(H)).to.include({ master: V, mtu: 1372, up: true });
      expect(sys.inPod.has(G)).to.equal(true);
      expect(sys.routes_.map((r) => `${r.table} ${r.dst} ${r.gateway ?? r.dev} ${r.scope ?? ''}`.trim())).to.have.members([
        `1 2001:10:1:1::/64 ${H}`,
        `1 10.1.1.0/24 ${H} link`,
        '1 192.168.1.0/24 10.1.1.1',
      ]);
      expect(sys.rules).to.deep.equal({ 4: [`-o ${H} -j ACCEPT`], 6: [`-o ${H} -j ACCEPT`] });
      expect(sys.sysctls.get(`net.ipv6.conf.${V}.proxy_ndp`)).to.equal('1');
      expect(sys.agentRequests).to.deep.equal([
        { method: 'Register', request: { vpc: '0000000004d2', vpcattachment: '002a', networks: ['10.1.1.1/32', '2001:10:1:1::1/128', '192.168.1.0/24'] } },
      ]);

      const result = JSON.parse(out.stdout) as Record<string, unknown>;
      expect(result.cniVersion).to.equal('1.0.0');
      expect(result.interfaces).to.deep.equal([
        { name: 'galactic0', mac: '02:00:00:00:00:01', sandbox: '/var/run/netns/pod' },
        { name: H, mac: '02:00:00:00:00:99' },
      ]);
      expect(result.ips).to.deep.equal([
        { address: '10.1.1.1/24', interface: 0 },
        { address: '2001:10:1:1::1/64', interface: 0 },
      ]);
    });

    it('takes the lowest table no other VRF uses', async () => {
      sys.links_.set('other', { name: 'other', kind: 'vrf', table: 1, up: true });
      sys.links_.set('other2', { name: 'other2', kind: 'vrf', table: 3, up: true });
      expect((await call('ADD')).code).to.equal(0);
      expect(sys.links_.get(V)?.table).to.equal(2);
    });

    it('answers in the requested version and delegates 1.1.0 as 1.0.0', async () => {
      let delegatedVersion: unknown;
      const delegate = sys.delegate.bind(sys);
      sys.delegate = async (plugin, c) => {
        delegatedVersion = c.config.cniVersion;
        return delegate(plugin, c);
      };
      const out = await call('ADD', { ...SPEC_EXAMPLE, cniVersion: '1.1.0' });
      expect(JSON.parse(out.stdout).cniVersion).to.equal('1.1.0');
      expect(delegatedVersion).to.equal('1.0.0');
    });

    const failures: Array<[string, RegExp | 'refuse' | 'unreachable' | 'error', number]> = [
      ['creating the veth', /^ip6: link add G0000000jU00GH/, ErrorCode.KernelFailure],
      ['an IPv6 termination route', /^ip6: route add/, ErrorCode.KernelFailure],
      ['a sysctl', /^sysctl net.ipv6.conf.G0000000jU00GH/, ErrorCode.KernelFailure],
      ['the via route', /^ip4: route add 192.168.1.0/, ErrorCode.KernelFailure],
      ['the ip6tables rule', /^iptables6 .*-I/, ErrorCode.KernelFailure],
      ['host-device', /^delegate ADD/, ErrorCode.KernelFailure],
      ['Register (agent refuses)', 'refuse', ErrorCode.AgentFailure],
      ['Register (agent error)', 'error', ErrorCode.AgentFailure],
      ['Register (agent unreachable)', 'unreachable', ErrorCode.TryAgainLater],
    ];
    for (const [what, failure, code] of failures) {
      it(`rolls back everything when ${what} fails`, async () => {
        sys.links_.set('other', { name: 'other', kind: 'vrf', table: 1, up: true });
        const before = sys.snapshot();
        if (failure instanceof RegExp) sys.failOn = failure;
        else sys.agent = failure;
        const error = errorOf(await call('ADD'));
        expect(error.code).to.equal(code);
        expect(error.details).to.match(/rolled back: /);
        expect(sys.snapshot()).to.deep.equal(before);
      });
    }

    it('fails with code 101 before touching the kernel when host-device is not in CNI_PATH', async () => {
      sys.plugins.clear();
      const error = errorOf(await call('ADD'));
      expect(error.code).to.equal(ErrorCode.DelegateFailure);
      expect(error.msg).to.include('host-device plugin is not in CNI_PATH (/opt/cni/bin)');
      expect(error.details).to.include('containernetworking-plugins');
      expect(sys.ops).to.deep.equal([]);
    });

    it('refuses (code 104) an attachment that is already set up, leaving it alone', async () => {
      expect((await call('ADD', SPEC_EXAMPLE, 'pod1')).code).to.equal(0);
      const before = sys.snapshot();
      const error = errorOf(await call('ADD', SPEC_EXAMPLE, 'pod2'));
      expect(error.code).to.equal(ErrorCode.AlreadyAttached);
      expect(error.msg).to.include('galactic:pod1:galactic0');
      expect(sys.snapshot()).to.deep.equal(before);
    });

    it('reports config errors as CNI errors in the config version', async () => {
      const error = errorOf(await call('ADD', { ...SPEC_EXAMPLE, cniVersion: '0.4.0', vpc: '!' }));
      expect(error).to.include({ cniVersion: '0.4.0', code: ErrorCode.InvalidConfig });
    });
  });

  describe('DEL', () => {
    it('deregisters, hands the interface back, removes rules, routes, veth and VRF', async () => {
      await call('ADD');
      sys.ops = [];
      const out = await call('DEL');
      expect(out).to.deep.equal({ code: 0, stdout: '' });
      expect(sys.snapshot()).to.deep.equal({ links: [], routes: [], rules: { 4: [], 6: [] }, inPod: [] });
      expect(sys.ops[1]).to.equal('agent Register'.replace('Register', 'Deregister'));
      expect(sys.ops).to.include('delegate DEL');
      expect(sys.ops.indexOf('ip4: route flush table 1')).to.be.lessThan(sys.ops.indexOf(`ip6: link del dev ${V}`));
      expect(sys.ops.slice(-3)).to.deep.equal(['ip6: route flush table 1', `ip6: link del dev ${H}`, `ip6: link del dev ${V}`]);
    });

    it('is idempotent: a second DEL, and DEL of something never added, succeed', async () => {
      await call('ADD');
      expect((await call('DEL')).code).to.equal(0);
      expect((await call('DEL')).code).to.equal(0);
      sys = new FakeSystem();
      expect((await call('DEL')).code).to.equal(0);
    });

    it('removes the kernel objects when the agent is unreachable', async () => {
      await call('ADD');
      sys.agent = 'unreachable';
      expect((await call('DEL')).code).to.equal(0);
      expect(sys.links_.size).to.equal(0);
    });

    it('fails (code 102) without touching the kernel when the agent answers with an error', async () => {
      await call('ADD');
      const before = sys.snapshot();
      sys.agent = 'error';
      expect(errorOf(await call('DEL')).code).to.equal(ErrorCode.AgentFailure);
      expect(sys.snapshot()).to.deep.equal(before);
    });

    it("leaves another container's attachment alone", async () => {
      await call('ADD', SPEC_EXAMPLE, 'pod1');
      const before = sys.snapshot();
      sys.ops = [];
      expect((await call('DEL', SPEC_EXAMPLE, 'old-pod')).code).to.equal(0);
      expect(sys.snapshot()).to.deep.equal(before);
      expect(sys.ops).to.deep.equal(['links']);
    });

    it('skips host-device when the pod network namespace is gone', async () => {
      await call('ADD');
      sys.existingPaths.clear();
      sys.ops = [];
      expect((await call('DEL')).code).to.equal(0);
      expect(sys.ops).to.not.include('delegate DEL');
      expect(sys.links_.size).to.equal(0);
    });
  });

  describe('CHECK', () => {
    const withPrev = async (): Promise<object> => ({ ...SPEC_EXAMPLE, prevResult: JSON.parse((await call('ADD')).stdout) });

    it('passes on a complete attachment', async () => {
      expect(await call('CHECK', await withPrev())).to.deep.equal({ code: 0, stdout: '' });
    });

    it('detects a deleted route, a missing rule and a changed MTU (code 103)', async () => {
      const config = await withPrev();
      sys.routes_ = sys.routes_.filter((r) => r.dst !== '192.168.1.0/24');
      sys.rules[6] = [];
      sys.links_.get(H)!.mtu = 1500;
      const error = errorOf(await call('CHECK', config));
      expect(error.code).to.equal(ErrorCode.CheckFailed);
      expect(error.msg).to.include('route 192.168.1.0/24 via 10.1.1.1 is missing from table 1');
      expect(error.msg).to.include('ip6tables FORWARD rule');
      expect(error.msg).to.include('MTU 1500');
    });

    it('detects a missing VRF and a pod interface gone', async () => {
      const config = await withPrev();
      sys.links_.delete(V);
      sys.inPod.clear();
      const error = errorOf(await call('CHECK', config));
      expect(error.msg).to.include(`VRF ${V} is missing`).and.include('host-device CHECK failed');
    });

    it('needs prevResult (code 7) and cniVersion 0.4.0 or later (code 1)', async () => {
      expect(errorOf(await call('CHECK')).code).to.equal(ErrorCode.InvalidConfig);
      expect(errorOf(await call('CHECK', { ...SPEC_EXAMPLE, cniVersion: '0.3.1', prevResult: {} })).code).to.equal(ErrorCode.IncompatibleVersion);
    });
  });

  describe('GC', () => {
    const gc = (valid?: Array<{ containerID: string; ifname: string }>) =>
      call('GC', { ...SPEC_EXAMPLE, cniVersion: '1.1.0', ...(valid ? { 'cni.dev/valid-attachments': valid } : {}) });

    it('keeps a valid attachment', async () => {
      await call('ADD');
      const before = sys.snapshot();
      expect((await gc([{ containerID: 'pod1', ifname: 'galactic0' }])).code).to.equal(0);
      expect(sys.snapshot()).to.deep.equal(before);
    });

    it('removes an attachment whose container is not valid any more', async () => {
      await call('ADD');
      expect((await gc([{ containerID: 'pod9', ifname: 'galactic0' }])).code).to.equal(0);
      expect(sys.snapshot()).to.deep.equal({ links: [], routes: [], rules: { 4: [], 6: [] }, inPod: [] });
      expect(sys.agentRequests.map((r) => r.method)).to.deep.equal(['Register', 'Deregister']);
    });

    it('needs cniVersion 1.1.0 (code 1), like STATUS', async () => {
      expect(errorOf(await call('GC', SPEC_EXAMPLE)).code).to.equal(ErrorCode.IncompatibleVersion);
      expect(errorOf(await call('STATUS', { cniVersion: '1.0.0' })).code).to.equal(ErrorCode.IncompatibleVersion);
    });

    it('collects nothing without the valid-attachments key', async () => {
      await call('ADD');
      const before = sys.snapshot();
      expect((await gc()).code).to.equal(0);
      expect(sys.snapshot()).to.deep.equal(before);
    });
  });

  it('every error object carries details (SPEC §7: code, msg and details)', async () => {
    const failures: Array<[string, Promise<Outcome>]> = [
      ['no stdin', invoke({ env: env('ADD'), stdin: '', sys, log: memoryLogger() })],
      ['not JSON', invoke({ env: env('ADD'), stdin: '{', sys, log: memoryLogger() })],
      ['no plugin entry', call('ADD', { cniVersion: '1.0.0', plugins: [{ type: 'bridge' }] })],
      ['unsupported version', call('ADD', { ...SPEC_EXAMPLE, cniVersion: '9.9.9' })],
      ['CHECK before 0.4.0', call('CHECK', { ...SPEC_EXAMPLE, cniVersion: '0.3.1' })],
      ['bad config', call('ADD', { ...SPEC_EXAMPLE, type: undefined })],
      ['bad environment', invoke({ env: { CNI_COMMAND: 'ADD' }, stdin: JSON.stringify(SPEC_EXAMPLE), sys, log: memoryLogger() })],
      ['unknown command', invoke({ env: { CNI_COMMAND: 'FROB' }, stdin: '', sys, log: memoryLogger() })],
      ['CHECK without prevResult', call('CHECK')],
    ];
    for (const [what, outcome] of failures) expect(errorOf(await outcome).details, what).to.be.a('string').and.not.equal('');
    sys.agent = 'unreachable';
    expect(errorOf(await call('ADD')).details).to.include('galactic agent');
    sys.failOn = /sysctl/;
    expect(errorOf(await call('ADD')).details).to.not.equal('');
  });

  describe('STATUS and VERSION', () => {
    it('STATUS succeeds while the agent answers, fails with code 50 otherwise', async () => {
      expect(await call('STATUS', { cniVersion: '1.1.0' })).to.deep.equal({ code: 0, stdout: '' });
      sys.agent = 'unreachable';
      const error = errorOf(await call('STATUS', { cniVersion: '1.1.0' }));
      expect(error.code).to.equal(ErrorCode.NotAvailable);
      expect(error.msg).to.include('/var/run/galactic/agent.sock');
    });

    it('VERSION lists the supported versions', async () => {
      const out = await invoke({ env: { CNI_COMMAND: 'VERSION' }, stdin: '', sys, log: memoryLogger() });
      expect(JSON.parse(out.stdout)).to.deep.equal({ cniVersion: '1.1.0', supportedVersions: ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] });
    });
  });
});
