// The plugin on a real kernel with VRF (hack/kernel), invoked as the runtime
// does, with the community host-device plugin from /usr/lib/cni and a real
// gRPC server standing in for the agent.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KernelHost, startKernelHost } from '../hack/kernel/index.js';
import { toBase62 } from '../lib/identifiers.js';
import { SPEC_EXAMPLE } from './fixtures.js';
import { CniNode, buildExecutable } from './kernel-fixture.js';

const V = 'G0000000jU00GV';
const H = 'G0000000jU00GH';

/** Another attachment of the VPC, with its own addresses. */
function attachment(id: number, octet = id): Record<string, unknown> {
  return {
    ...SPEC_EXAMPLE,
    name: `default-att${id}`,
    vpcattachment: toBase62(BigInt(id)),
    terminations: [{ network: '10.1.1.0/24' }, { network: '2001:10:1:1::/64' }],
    ipam: { type: 'static', addresses: [{ address: `10.1.1.${octet}/24` }, { address: `2001:10:1:1::${octet}/64` }] },
  };
}

describe('cni plugin on a real kernel', function () {
  this.timeout(30 * 60_000);
  let host: KernelHost;
  let node: CniNode;
  let baseline: string;
  const log: string[] = [];

  before(async () => {
    const galactic = buildExecutable();
    host = await startKernelHost({ log: (line) => log.push(line) });
    node = new CniNode(host, 'cninode', [galactic]);
    await node.create();
    for (const pod of ['cnipod', 'cnipod2', 'cnipod3']) await node.addPod(pod);
    await node.startAgent({ REFUSE_ATTACHMENT: '0bad' });
    baseline = await node.snapshot();
  });

  after(async () => {
    await node?.close();
    await host?.close();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(log.slice(-40).join('\n'));
  });

  let added: Record<string, unknown>;

  it('ADD builds the SPEC §5 objects, hands the pod its addresses and routes, registers with the agent', async () => {
    const out = await node.cni({ command: 'ADD', config: SPEC_EXAMPLE });
    expect(out.code, `${out.stdout}\n${out.stderr}`).to.equal(0);
    added = out.result!;
    expect(added.cniVersion).to.equal('1.0.0');
    expect((added.interfaces as Array<{ name: string; sandbox?: string }>).map((i) => i.name)).to.deep.equal(['galactic0', H]);
    expect((added.ips as Array<{ address: string }>).map((i) => i.address)).to.deep.equal(['10.1.1.1/24', '2001:10:1:1::1/64']);

    const links = await node.json<Array<{ ifname: string; master?: string; mtu: number; flags: string[]; ifalias?: string; linkinfo?: { info_kind: string; info_data?: { table: number } } }>>('-d link show');
    const vrf = links.find((l) => l.ifname === V)!;
    const veth = links.find((l) => l.ifname === H)!;
    expect(vrf.linkinfo).to.deep.include({ info_kind: 'vrf' });
    expect(vrf.linkinfo?.info_data?.table).to.equal(1);
    expect(vrf.flags).to.include('UP');
    expect(veth).to.include({ master: V, mtu: 1372, ifalias: 'galactic:cnipod:galactic0' });
    expect(veth.flags).to.include('UP');
    expect(links.some((l) => l.ifname === 'G0000000jU00GG'), 'the guest end left the node').to.equal(false);

    const sysctls = await node.sh(
      ['ipv4/conf/X/rp_filter', 'ipv4/conf/X/forwarding', 'ipv6/conf/X/forwarding', 'ipv4/conf/X/proxy_arp', 'ipv6/conf/X/proxy_ndp']
        .flatMap((key) => [V, H].map((link) => `ip netns exec cninode cat /proc/sys/net/${key.replace('X', link)}`))
        .join('\n'),
    );
    expect(sysctls.trim().split('\n')).to.deep.equal(['0', '0', '1', '1', '1', '1', '1', '1', '1', '1']);

    const v4 = await node.json<Array<{ dst: string; dev?: string; gateway?: string; scope?: string }>>('-4 route show table 1');
    const v6 = await node.json<Array<{ dst: string; dev?: string; protocol?: string }>>('-6 route show table 1');
    expect(v4.map((r) => `${r.dst} ${r.gateway ?? r.dev} ${r.scope ?? 'universe'}`)).to.include.members([`10.1.1.0/24 ${H} link`, '192.168.1.0/24 10.1.1.1 universe']);
    expect(v6.filter((r) => r.protocol !== 'kernel').map((r) => `${r.dst} ${r.dev}`)).to.include(`2001:10:1:1::/64 ${H}`);
    for (const tool of ['iptables', 'ip6tables']) {
      expect(await node.sh(`ip netns exec cninode ${tool} -S FORWARD`)).to.include(`-A FORWARD -o ${H} -j ACCEPT`);
    }

    const addrs = await node.json<Array<{ addr_info: Array<{ local: string; prefixlen: number }>; mtu: number }>>('addr show dev galactic0', 'cnipod');
    expect(addrs[0]!.addr_info.map((a) => `${a.local}/${a.prefixlen}`)).to.include.members(['10.1.1.1/24', '2001:10:1:1::1/64']);
    expect(addrs[0]!.mtu).to.equal(1372);
    expect(await node.sh('ip -n cnipod route show 192.168.2.0/24')).to.include('via 10.1.1.3 dev galactic0');

    expect(node.agentCalls()).to.deep.equal([
      { method: 'Register', vpc: '0000000004d2', vpcattachment: '002a', networks: ['10.1.1.1/32', '2001:10:1:1::1/128', '192.168.1.0/24'] },
    ]);
  });

  it('CHECK passes, then detects a deleted route', async () => {
    const ok = await node.cni({ command: 'CHECK', config: { ...SPEC_EXAMPLE, prevResult: added } });
    expect(ok.code, `${ok.stdout}\n${ok.stderr}`).to.equal(0);
    await node.sh('ip -n cninode route del 192.168.1.0/24 table 1');
    const broken = await node.cni({ command: 'CHECK', config: { ...SPEC_EXAMPLE, prevResult: added } });
    expect(broken.code).to.equal(1);
    expect(broken.result).to.deep.include({ code: 103 });
    expect(broken.result!.msg).to.include('route 192.168.1.0/24 via 10.1.1.1 is missing from table 1');
  });

  it('DEL removes everything and deregisters; a second DEL succeeds too', async () => {
    const out = await node.cni({ command: 'DEL', config: SPEC_EXAMPLE });
    expect(out.code, `${out.stdout}\n${out.stderr}`).to.equal(0);
    expect(await node.snapshot()).to.equal(baseline);
    expect(node.agentCalls().at(-1)).to.deep.include({ method: 'Deregister', vpcattachment: '002a' });
    const again = await node.cni({ command: 'DEL', config: SPEC_EXAMPLE });
    expect(again.code, `${again.stdout}\n${again.stderr}`).to.equal(0);
    expect(await node.snapshot()).to.equal(baseline);
  });

  it('a failing ADD leaves no residue: host-device missing, host-device failing, agent refusing', async () => {
    const missing = await node.cni({ command: 'ADD', config: SPEC_EXAMPLE, cniPath: '/nonexistent' });
    expect(missing.result).to.deep.include({ code: 101 });
    expect(await node.snapshot()).to.equal(baseline);

    // A host-device that fails after the VRF, veth, routes and rules exist.
    const fake = join(host.scratchDir, 'failing-plugins');
    mkdirSync(fake, { recursive: true }); // the scratch directory is shared with the kernel host
    writeFileSync(join(fake, 'host-device'), `#!/bin/sh\ncat >/dev/null\necho '{"cniVersion":"1.0.0","code":999,"msg":"simulated failure"}'\nexit 1\n`, { mode: 0o755 });
    const failing = await node.cni({ command: 'ADD', config: SPEC_EXAMPLE, cniPath: fake });
    expect(failing.result).to.deep.include({ code: 101 });
    expect(failing.result!.msg).to.include('simulated failure');
    expect(failing.result!.details).to.match(/rolled back: .*links G0000000jU00GV/);
    expect(await node.snapshot()).to.equal(baseline);

    // The agent refuses attachment 0bad after host-device moved the interface into the pod.
    const refused = await node.cni({ command: 'ADD', config: { ...SPEC_EXAMPLE, vpcattachment: toBase62(0xbadn) } });
    expect(refused.result).to.deep.include({ code: 102 });
    expect(refused.result!.details).to.match(/host-device ADD/);
    expect(await node.snapshot()).to.equal(baseline);
  });

  it('ADD refuses an interface name ip -batch would cut at "#" and a missing network namespace before any kernel change', async () => {
    for (const ifname of ['eth#0', 'a"b', 'sixteen-bytes-xx']) {
      const odd = await node.cni({ command: 'ADD', config: SPEC_EXAMPLE, ifname });
      expect(odd.result, ifname).to.deep.include({ code: 4 });
      expect(odd.result!.details, ifname).to.include('- CNI_IFNAME');
      expect(await node.snapshot(), ifname).to.equal(baseline);
    }
    const gone = await node.cni({ command: 'ADD', config: SPEC_EXAMPLE, pod: 'nosuchpod' });
    expect(gone.result).to.deep.include({ code: 4, msg: 'CNI_NETNS "/run/netns/nosuchpod" is not a network namespace: it does not exist' });
    expect(await node.snapshot()).to.equal(baseline);
  });

  it('two concurrent ADDs get distinct VRF tables', async () => {
    const [a, b] = await Promise.all([
      node.cni({ command: 'ADD', config: attachment(2), pod: 'cnipod2' }),
      node.cni({ command: 'ADD', config: attachment(3), pod: 'cnipod3' }),
    ]);
    expect(a!.code, `${a!.stdout}\n${a!.stderr}`).to.equal(0);
    expect(b!.code, `${b!.stdout}\n${b!.stderr}`).to.equal(0);
    const vrfs = await node.json<Array<{ ifname: string; linkinfo: { info_data: { table: number } } }>>('-d link show type vrf');
    expect(vrfs.map((v) => v.linkinfo.info_data.table).sort()).to.deep.equal([1, 2]);
  });

  it('GC removes an attachment whose container is no longer valid and keeps the valid one', async () => {
    const gc = (config: object) => node.cni({ command: 'GC', config: { ...config, cniVersion: '1.1.0', 'cni.dev/valid-attachments': [{ containerID: 'cnipod3', ifname: 'galactic0' }] } });
    expect((await gc(attachment(2))).code).to.equal(0);
    expect((await gc(attachment(3))).code).to.equal(0);
    const links = (await node.json<Array<{ ifname: string }>>('link show')).map((l) => l.ifname);
    expect(links.filter((l) => l.startsWith('G'))).to.have.members(['G0000000jU003V', 'G0000000jU003H']);
    expect(await node.cni({ command: 'DEL', config: attachment(3), pod: 'cnipod3' })).to.deep.include({ code: 0 });
    expect(await node.snapshot()).to.equal(baseline);
  });

  it('STATUS succeeds with the agent up and fails with code 50 without it', async () => {
    expect((await node.cni({ command: 'STATUS', config: { cniVersion: '1.1.0' } })).code).to.equal(0);
    const down = await node.cni({ command: 'STATUS', config: { cniVersion: '1.1.0', agent_socket: `${node.runDir}/none.sock` } });
    expect(down.result).to.deep.include({ code: 50 });
  });
});
