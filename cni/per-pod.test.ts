// A pool attachment's NAD (as the operator renders it) with each pod's values
// as Multus passes them (runtimeConfig.ips, args.cni): the plugin registers
// the pod's own endpoint identifier and addresses, so two pods of one
// template attachment coexist on a node.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNadConfig } from '../controllers/nad.js';
import { delegatedPluginConfigs, withSelection } from '../hack/lab/multus.js';
import { memoryLogger } from '../lib/log.js';
import { FakeSystem } from './fake-system.js';
import { invoke } from './main.js';
import type { DelegateCall } from './system.js';

class RecordingSystem extends FakeSystem {
  readonly delegated: DelegateCall[] = [];
  override async delegate(plugin: string, call: DelegateCall): Promise<unknown> {
    this.delegated.push(call);
    return super.delegate(plugin, call);
  }
}

const template = delegatedPluginConfigs(
  renderNadConfig({
    namespace: 'default',
    name: 'web',
    vpcIdentifier: '0000000004d2',
    attachmentIdentifier: '002a',
    mtu: 1372,
    addresses: [],
    pools: ['10.1.1.0/24', '2001:10:1:1::/64'],
    routes: [],
  }),
)[0]!;

/** What Multus hands the plugin for one pod's `{"ips": […], "cni-args": {…}}`. */
const forPod = (ips: string[], endpoint: string) => withSelection(template, { name: 'web', ips, 'cni-args': { vpcattachment: endpoint } });

describe('cni: per-pod values of a pool attachment', () => {
  let sys: RecordingSystem;
  let lockDir: string;
  beforeEach(() => {
    sys = new RecordingSystem();
    for (const netns of ['/var/run/netns/pod1', '/var/run/netns/pod2']) {
      sys.existingPaths.add(netns);
      sys.netnsPaths.add(netns);
    }
    lockDir = mkdtempSync(join(tmpdir(), 'galactic-cni-'));
  });
  afterEach(() => rmSync(lockDir, { recursive: true, force: true }));

  const add = (container: string, config: object) =>
    invoke({
      env: { CNI_COMMAND: 'ADD', CNI_CONTAINERID: container, CNI_NETNS: `/var/run/netns/${container}`, CNI_IFNAME: 'galactic0', CNI_PATH: '/opt/cni/bin', GALACTIC_CNI_LOCK_DIR: lockDir },
      stdin: JSON.stringify(config),
      sys,
      log: memoryLogger(),
    });

  it('the NAD declares the ips capability and lists no addresses of its own', () => {
    expect(template).to.deep.include({ capabilities: { ips: true }, terminations: [{ network: '10.1.1.0/24' }, { network: '2001:10:1:1::/64' }] });
    expect(template.ipam).to.deep.equal({ type: 'static', routes: [] });
  });

  it('registers each pod with its own endpoint identifier and addresses; two pods share a node', async () => {
    const first = await add('pod1', forPod(['10.1.1.7/24', '2001:10:1:1::7/64'], 'G'));
    const second = await add('pod2', forPod(['10.1.1.8/24', '2001:10:1:1::8/64'], 'H'));
    expect(first.code, first.stdout).to.equal(0);
    expect(second.code, second.stdout).to.equal(0);
    expect(sys.agentRequests.map((r) => r.request)).to.deep.equal([
      { vpc: '0000000004d2', vpcattachment: '002a', networks: ['10.1.1.7/32', '2001:10:1:1::7/128'] },
      { vpc: '0000000004d2', vpcattachment: '002b', networks: ['10.1.1.8/32', '2001:10:1:1::8/128'] },
    ]);
    expect([...sys.links_.keys()].filter((name) => name.endsWith('V')).sort()).to.deep.equal(['G0000000jU00GV', 'G0000000jU00HV']);
    // host-device's static IPAM gets the addresses once, in its own config.
    expect(sys.delegated[0]!.config.ipam).to.deep.equal({ type: 'static', routes: [], addresses: [{ address: '10.1.1.7/24' }, { address: '2001:10:1:1::7/64' }] });
    expect(sys.delegated[0]!.config.runtimeConfig).to.deep.equal({});
  });

  it('without per-pod addresses, names the missing field', async () => {
    const out = await add('pod1', { ...template, args: { cni: { vpcattachment: 'G' } } });
    expect(out.code).to.equal(1);
    expect(JSON.parse(out.stdout).msg).to.contain('ipam.addresses must list at least one');
  });
});
