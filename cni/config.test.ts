import { expect } from 'chai';
import { type NetConf, parseConfigText, parseEnvironment, parseNetConf } from './config.js';
import { CniError, ErrorCode } from './errors.js';
import { SPEC_EXAMPLE } from './fixtures.js';

function cniError(fn: () => unknown): CniError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(CniError);
    return error as CniError;
  }
  throw new Error('expected a CniError');
}

const conf = (overrides: Record<string, unknown>): NetConf => parseNetConf({ ...SPEC_EXAMPLE, ...overrides });

describe('cni config', () => {
  describe('environment', () => {
    const full = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'abc123', CNI_NETNS: '/var/run/netns/pod', CNI_IFNAME: 'galactic0', CNI_PATH: '/opt/cni/bin:/usr/lib/cni' };

    it('reads the CNI_* variables', () => {
      const env = parseEnvironment(full);
      expect(env).to.deep.include({ command: 'ADD', containerId: 'abc123', netns: '/var/run/netns/pod', ifname: 'galactic0' });
      expect(env.path).to.deep.equal(['/opt/cni/bin', '/usr/lib/cni']);
    });

    it('names every missing variable (code 4)', () => {
      const error = cniError(() => parseEnvironment({ CNI_COMMAND: 'ADD' }));
      expect(error.code).to.equal(ErrorCode.InvalidEnvironment);
      for (const name of ['CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_NETNS', 'CNI_PATH']) expect(error.message).to.include(name);
    });

    it('rejects an unknown command and bad names', () => {
      expect(cniError(() => parseEnvironment({ CNI_COMMAND: 'FROB' })).message).to.match(/CNI_COMMAND "FROB" is not one of ADD, DEL/);
      expect(cniError(() => parseEnvironment({ ...full, CNI_IFNAME: 'much-too-long-name0' })).message).to.include('CNI_IFNAME');
      expect(cniError(() => parseEnvironment({ ...full, CNI_CONTAINERID: 'a/b' })).message).to.include('CNI_CONTAINERID');
    });

    it('refuses interface names the kernel or an ip batch line cannot take, naming the variable and the rule in details', () => {
      const odd = ['eth#0', 'sixteen-bytes-xx', 'ééééééééé', '.', '..', 'a/b', 'a:b', 'a b', 'a\tb', 'a"b', "a'b", 'a\\b', 'a\u0001b'];
      for (const ifname of odd) {
        const error = cniError(() => parseEnvironment({ ...full, CNI_IFNAME: ifname }));
        expect(error.code, ifname).to.equal(ErrorCode.InvalidEnvironment);
        expect(error.message, ifname).to.include(`CNI_IFNAME ${JSON.stringify(ifname)} is not a valid interface name`);
        expect(error.details, ifname).to.include('- CNI_IFNAME').and.include('1-15 bytes');
      }
      for (const ifname of ['galactic0', 'net1', 'fifteen-bytes-x', 'eth0.100', 'é']) expect(parseEnvironment({ ...full, CNI_IFNAME: ifname }).ifname).to.equal(ifname);
    });

    it('DEL needs no netns or path; VERSION, STATUS and GC need nothing', () => {
      expect(parseEnvironment({ CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'c', CNI_IFNAME: 'eth1' }).netns).to.equal('');
      for (const command of ['VERSION', 'STATUS', 'GC']) expect(parseEnvironment({ CNI_COMMAND: command }).command).to.equal(command);
    });
  });

  describe('network configuration', () => {
    it('parses the SPEC §3 example', () => {
      const c = parseNetConf(SPEC_EXAMPLE);
      expect(c.vpc).to.equal(1234n);
      expect(c.attachment).to.equal(42n);
      expect(c.vpcHex).to.equal('0000000004d2');
      expect(c.attachmentHex).to.equal('002a');
      expect(c.mtu).to.equal(1372);
      expect(c.name).to.equal('default-sjc');
      expect(c.terminations).to.deep.equal([
        { network: '10.1.1.0/24', family: 4 },
        { network: '2001:10:1:1::/64', family: 6 },
        { network: '192.168.1.0/24', family: 4, via: '10.1.1.1' },
      ]);
      expect(c.addresses.map((a) => a.address)).to.deep.equal(['10.1.1.1/24', '2001:10:1:1::1/64']);
      expect(c.agentSocket).to.equal('/var/run/galactic/agent.sock');
    });

    it("accepts the original Go operator's entries: cniVersion 0.4.0, no name, no mtu", () => {
      const { name: _n, mtu: _m, ...goEntry } = SPEC_EXAMPLE;
      const c = parseNetConf({ ...goEntry, cniVersion: '0.4.0' });
      expect(c.name).to.equal(undefined);
      expect(c.cniVersion).to.equal('0.4.0');
      expect(c.mtu).to.equal(1372);
    });

    it('without terminations, terminates the address networks', () => {
      const { terminations: _t, ...rest } = SPEC_EXAMPLE;
      expect(parseNetConf(rest).terminations).to.deep.equal([
        { network: '10.1.1.0/24', family: 4 },
        { network: '2001:10:1:1::/64', family: 6 },
      ]);
    });

    it('normalises networks and vias', () => {
      const c = conf({ terminations: [{ network: '10.1.1.7/24' }, { network: '2001:0010:1:1:0::/64' }, { network: '2001:1::/64', via: '2001:10:1:1:0:0:0:1' }] });
      expect(c.terminations.map((t) => `${t.network} ${t.via ?? ''}`.trim())).to.deep.equal(['10.1.1.0/24', '2001:10:1:1::/64', '2001:1::/64 2001:10:1:1::1']);
    });

    it('takes agent_socket from the config', () => {
      expect(conf({ agent_socket: '/run/x/agent.sock' }).agentSocket).to.equal('/run/x/agent.sock');
    });

    it('accepts a whole conflist on stdin, using its galactic entry', () => {
      const raw = parseConfigText(JSON.stringify({ cniVersion: '1.0.0', name: 'n', plugins: [{ ...SPEC_EXAMPLE, cniVersion: undefined, name: undefined }] }));
      expect(parseNetConf(raw)).to.include({ name: 'n', cniVersion: '1.0.0' });
    });

    it('reads GC valid attachments', () => {
      const c = conf({ cniVersion: '1.1.0', 'cni.dev/valid-attachments': [{ containerID: 'c1', ifname: 'galactic0' }] });
      expect(c.validAttachments).to.deep.equal([{ containerID: 'c1', ifname: 'galactic0' }]);
    });

    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['base62 vpc', { vpc: '12-4' }, /vpc must be the VPC identifier in base62/],
      ['vpc too wide', { vpc: 'zzzzzzzzz' }, /vpc "zzzzzzzzz" exceeds 48 bits/],
      ['reserved attachment', { vpcattachment: 'h31' }, /vpcattachment "h31" is a reserved identifier/],
      ['attachment too long', { vpcattachment: '1234' }, /vpcattachment must be .*\(1-3 characters/],
      ['mtu', { mtu: 1000 }, /mtu must be an integer between 1280 and 65535/],
      ['ipam type', { ipam: { type: 'host-local', addresses: [{ address: '10.1.1.1/24' }] } }, /ipam.type must be "static"/],
      ['no addresses', { ipam: { type: 'static' } }, /ipam.addresses must list at least one/],
      ['address without prefix', { ipam: { type: 'static', addresses: [{ address: '10.1.1.1' }] } }, /ipam.addresses\[0\].address "10.1.1.1" needs a prefix length, e.g. "10.1.1.1\/24"/],
      ['bad address', { ipam: { type: 'static', addresses: [{ address: '10.1.1.300/24' }] } }, /ipam.addresses\[0\].address: invalid address/],
      ['route gw family', { ipam: { ...SPEC_EXAMPLE.ipam, routes: [{ dst: '10.9.0.0/16', gw: '2001:db8::1' }] } }, /ipam.routes\[0\]: gw "2001:db8::1" is not of the same IP family/],
      ['termination network', { terminations: [{ network: 'ten' }] }, /terminations\[0\].network: invalid address "ten"/],
      ['termination via family', { terminations: [{ network: '192.168.1.0/24', via: '2001:10:1:1::1' }] }, /terminations\[0\]: via .* not of the same IP family/],
      ['termination via unreachable', { terminations: [{ network: '192.168.1.0/24', via: '10.9.9.9' }] }, /terminations\[0\].via "10.9.9.9" is not inside the network of any ipam address/],
      ['agent_socket relative', { agent_socket: 'agent.sock' }, /agent_socket must be an absolute path/],
      ['type', { type: 'bridge' }, /type must be "galactic"/],
      ['a missing type', { type: undefined }, /type must be "galactic", got nothing/],
      ['a GC interface name', { cniVersion: '1.1.0', 'cni.dev/valid-attachments': [{ containerID: 'c1', ifname: 'eth#0' }] }, /cni.dev\/valid-attachments\[0\].ifname "eth#0" is not a valid interface name/],
    ];
    for (const [what, overrides, message] of bad) {
      it(`rejects ${what} with code 7, a message naming the field, and details saying where to fix it`, () => {
        const error = cniError(() => conf(overrides));
        expect(error.code).to.equal(ErrorCode.InvalidConfig);
        expect(error.message).to.match(message);
        expect(error.details).to.match(/^fix the galactic entry of the network configuration/);
        expect(error.details.split('\n').slice(1).join('\n')).to.match(new RegExp(`^- ${message.source}`, 'm'));
      });
    }

    it('reports every problem at once', () => {
      const error = cniError(() => conf({ vpc: '', mtu: 'big', ipam: 'static' }));
      expect(error.message).to.include('vpc must be').and.include('mtu must be').and.include('ipam must be an object');
    });

    it('rejects an unsupported or missing cniVersion (codes 1 and 7) and non-JSON (code 6)', () => {
      expect(cniError(() => conf({ cniVersion: '2.0.0' })).code).to.equal(ErrorCode.IncompatibleVersion);
      expect(cniError(() => conf({ cniVersion: undefined })).code).to.equal(ErrorCode.InvalidConfig);
      expect(cniError(() => parseConfigText('{nope')).code).to.equal(ErrorCode.DecodingFailure);
      expect(cniError(() => parseConfigText('[]')).code).to.equal(ErrorCode.DecodingFailure);
    });
  });
});
