// The CRD schemas reject bad objects in the API server itself, with a message
// that names the field (one test per rule; no operator runs here).
import { expect } from 'chai';
import { stringify } from 'yaml';
import { KubectlError, type TestCluster, startTestCluster } from '../testing.js';

const vpc = (spec: object) => ({ apiVersion: 'galactic.datumapis.com/v1alpha', kind: 'VPC', metadata: { name: 'v', namespace: 'default' }, spec });
const attachment = (spec: object) => ({
  apiVersion: 'galactic.datumapis.com/v1alpha',
  kind: 'VPCAttachment',
  metadata: { name: 'a', namespace: 'default' },
  spec,
});
const goodAttachment = { vpc: { name: 'v' }, interface: { addresses: ['10.1.1.1/24'] } };

describe('CRD validation by the API server', function () {
  this.timeout(60_000);
  let cluster: TestCluster;

  before(async () => {
    cluster = await startTestCluster();
  });
  after(async () => cluster?.stop());

  /** Creates (dry run, fully validated) and returns the API server's error. */
  const rejection = async (object: object): Promise<string> => {
    try {
      await cluster.kubectlIn(stringify(object), 'create', '--dry-run=server', '-f', '-');
    } catch (error) {
      if (error instanceof KubectlError) return error.stderr;
      throw error;
    }
    throw new Error(`the API server accepted ${JSON.stringify(object)}`);
  };

  const rules: Array<[string, object, string]> = [
    ['VPC networks must not be empty', vpc({ networks: [] }), 'spec.networks: Invalid value: 0: spec.networks in body should have at least 1 items'],
    ['VPC networks are required', vpc({}), 'spec.networks: Required value'],
    [
      'VPC networks must be CIDRs',
      vpc({ networks: ['10.1.1.0/33'] }),
      'spec.networks[0]: Invalid value: "10.1.1.0/33": must be an IPv4 or IPv6 network in CIDR notation (10.1.1.0/24, 2001:db8::/64), got 10.1.1.0/33',
    ],
    [
      'VPC networks must have the host bits zero',
      vpc({ networks: ['10.1.1.0/24', '2001:10:1:1::1/64'] }),
      'spec.networks[1]: Invalid value: "2001:10:1:1::1/64": must be a network address with the host bits zero (e.g. 10.1.1.0/24, not 10.1.1.1/24), got 2001:10:1:1::1/64',
    ],
    ['VPC networks must not repeat', vpc({ networks: ['10.1.1.0/24', '10.1.1.0/24'] }), 'spec.networks[1]: Duplicate value: "10.1.1.0/24"'],
    ['an attachment names its VPC', attachment({ ...goodAttachment, vpc: {} }), 'spec.vpc.name: Required value'],
    ['spec.vpc.name is an object name', attachment({ ...goodAttachment, vpc: { name: 'Not_A_Name' } }), 'spec.vpc.name in body should match'],
    ['spec.vpc.kind is VPC', attachment({ ...goodAttachment, vpc: { name: 'v', kind: 'Pod' } }), 'spec.vpc.kind: Unsupported value: "Pod": supported values: "VPC"'],
    [
      'attachment addresses must not be empty',
      attachment({ ...goodAttachment, interface: { addresses: [] } }),
      'spec.interface.addresses: Invalid value: 0: spec.interface.addresses in body should have at least 1 items',
    ],
    [
      'attachment addresses carry a prefix length',
      attachment({ ...goodAttachment, interface: { addresses: ['10.1.1.1'] } }),
      'spec.interface.addresses[0]: Invalid value: "10.1.1.1": must be an IPv4 or IPv6 address with prefix length (10.1.1.1/24, 2001:db8::1/64), got 10.1.1.1',
    ],
    [
      'attachment pools are networks with the host bits zero',
      attachment({ ...goodAttachment, interface: { ipam: { pools: ['10.1.1.1/24'] } } }),
      'spec.interface.ipam.pools[0]: Invalid value: "10.1.1.1/24": must be a network address with the host bits zero (e.g. 10.1.1.0/24, not 10.1.1.1/24), got 10.1.1.1/24',
    ],
    [
      'attachment pools hold at least two addresses',
      attachment({ ...goodAttachment, interface: { ipam: { pools: ['10.1.1.0/31'] } } }),
      'spec.interface.ipam.pools[0]: Invalid value: "10.1.1.0/31": must hold at least two addresses for pods (IPv4 at most /30, IPv6 at most /126), got 10.1.1.0/31',
    ],
    [
      'an attachment has addresses or pools',
      attachment({ ...goodAttachment, interface: { name: 'galactic0' } }),
      'spec.interface: Invalid value: give exactly one of addresses (this attachment is one pod\'s interface) or ipam.pools',
    ],
    [
      'attachment addresses are IP addresses',
      attachment({ ...goodAttachment, interface: { addresses: ['10.1.1.1/24', '2001:10:1:1::zz/64'] } }),
      'spec.interface.addresses[1]: Invalid value: "2001:10:1:1::zz/64": must be an IPv4 or IPv6 address with prefix length',
    ],
    [
      'interface names have at most 15 characters',
      attachment({ ...goodAttachment, interface: { name: 'galactic0123456x', addresses: ['10.1.1.1/24'] } }),
      'spec.interface.name: Too long: may not be more than 15 bytes',
    ],
    [
      'interface names have no slash or whitespace',
      attachment({ ...goodAttachment, interface: { name: 'eth/0', addresses: ['10.1.1.1/24'] } }),
      'spec.interface.name in body should match',
    ],
    [
      'route destinations are networks',
      attachment({ ...goodAttachment, routes: [{ destination: '192.168.1.1/24', via: '10.1.1.1' }] }),
      'spec.routes[0].destination: Invalid value: "192.168.1.1/24": must be a network address with the host bits zero',
    ],
    [
      'route destinations are CIDRs',
      attachment({ ...goodAttachment, routes: [{ destination: 'default', via: '10.1.1.1' }] }),
      'spec.routes[0].destination: Invalid value: "default": must be an IPv4 or IPv6 network in CIDR notation',
    ],
    [
      'route via is an address',
      attachment({ ...goodAttachment, routes: [{ destination: '192.168.1.0/24', via: '10.1.1.1/32' }] }),
      'spec.routes[0].via: Invalid value: "10.1.1.1/32": must be an IPv4 or IPv6 address (10.1.1.1, 2001:db8::1), got 10.1.1.1/32',
    ],
    [
      'route via has the family of the destination',
      attachment({ ...goodAttachment, routes: [{ destination: '2001:1::/64', via: '10.1.1.1' }] }),
      'spec.routes[0].via: Invalid value: via must be of the same IP family as destination',
    ],
    [
      'route destinations do not repeat',
      attachment({
        ...goodAttachment,
        routes: [
          { destination: '192.168.1.0/24', via: '10.1.1.1' },
          { destination: '192.168.1.0/24', via: '10.1.1.2' },
        ],
      }),
      'spec.routes[1]: Duplicate value',
    ],
  ];

  for (const [rule, object, message] of rules) {
    it(`rejects: ${rule}`, async () => {
      expect(await rejection(object)).to.contain(message);
    });
  }

  it('accepts a good attachment and defaults the interface name to galactic0', async () => {
    const created = JSON.parse(await cluster.kubectlIn(stringify(attachment(goodAttachment)), 'create', '-f', '-', '-o', 'json'));
    expect(created.spec.interface.name).to.equal('galactic0');
  });

  it('rejects changing spec.vpc of an existing attachment', async () => {
    let stderr = '';
    try {
      await cluster.kubectl('patch', 'vpcattachment', 'a', '-n', 'default', '--type=merge', '-p', '{"spec":{"vpc":{"name":"other"}}}');
    } catch (error) {
      stderr = (error as KubectlError).stderr;
    }
    expect(stderr).to.contain('spec.vpc: Invalid value: is immutable');
  });
});
