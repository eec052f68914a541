import { expect } from 'chai';
import { toBase62 } from '../lib/identifiers.js';
import { type VpcAttachment } from './model.js';
import { desiredNad, identifierChange, nadIdentifiers, nadMatches, renderNadConfig } from './nad.js';

// SPEC §3's example, with VPC 1234 (base62 jU) and attachment 42 (G).
const SPEC_EXAMPLE = {
  cniVersion: '1.0.0',
  name: 'default-vpcattachment-sjc',
  plugins: [
    {
      type: 'galactic',
      vpc: 'jU',
      vpcattachment: 'G',
      mtu: 1372,
      terminations: [{ network: '10.1.1.0/24' }, { network: '2001:10:1:1::/64' }, { network: '192.168.1.0/24', via: '10.1.1.1' }],
      ipam: {
        type: 'static',
        addresses: [{ address: '10.1.1.1/24' }, { address: '2001:10:1:1::1/64' }],
        routes: [{ dst: '192.168.2.0/24', gw: '10.1.1.3' }],
      },
    },
  ],
};

const base = {
  namespace: 'default',
  name: 'vpcattachment-sjc',
  vpcIdentifier: '0000000004d2',
  attachmentIdentifier: '002a',
  mtu: 1372,
  addresses: ['10.1.1.1/24', '2001:10:1:1::1/64'],
};

describe('controllers/nad: NetworkAttachmentDefinition config (SPEC §3)', () => {
  it('renders the SPEC §3 example exactly, keys in order', () => {
    const config = renderNadConfig({
      ...base,
      routes: [
        { destination: '192.168.1.0/24', via: '10.1.1.1' },
        { destination: '192.168.2.0/24', via: '10.1.1.3' },
      ],
    });
    expect(config).to.equal(JSON.stringify(SPEC_EXAMPLE));
  });

  it('encodes identifiers in base62 (1234 ⇒ jU, 42 ⇒ G) and carries the MTU', () => {
    expect(toBase62(1234n)).to.equal('jU');
    const config = JSON.parse(renderNadConfig({ ...base, vpcIdentifier: 'ffffffffffe', attachmentIdentifier: 'fffe', mtu: 9000, routes: [] }));
    expect(config.plugins[0].vpc).to.equal(toBase62(0xffffffffffen));
    expect(config.plugins[0].vpcattachment).to.equal(toBase62(0xfffen));
    expect(config.plugins[0].mtu).to.equal(9000);
  });

  it('makes IPv6 routes via a local address terminations and others IPAM routes', () => {
    const config = JSON.parse(
      renderNadConfig({
        ...base,
        routes: [
          { destination: '2001:1::/64', via: '2001:10:1:1::1' },
          { destination: '2001:2::/64', via: '2001:10:1:1::3' },
        ],
      }),
    );
    expect(config.plugins[0].terminations).to.deep.equal([
      { network: '10.1.1.0/24' },
      { network: '2001:10:1:1::/64' },
      { network: '2001:1::/64', via: '2001:10:1:1::1' },
    ]);
    expect(config.plugins[0].ipam.routes).to.deep.equal([{ dst: '2001:2::/64', gw: '2001:10:1:1::3' }]);
  });

  it('compares via with the addresses as addresses, and writes them canonically', () => {
    const config = JSON.parse(
      renderNadConfig({
        ...base,
        addresses: ['2001:DB8:0:0::1/64'],
        routes: [{ destination: '2001:0001::/64', via: '2001:db8::0:1' }],
      }),
    );
    expect(config.plugins[0].terminations).to.deep.equal([{ network: '2001:db8::/64' }, { network: '2001:1::/64', via: '2001:db8::1' }]);
    expect(config.plugins[0].ipam.addresses).to.deep.equal([{ address: '2001:db8::1/64' }]);
  });

  it('lists a network once when two addresses share it, and keeps an empty routes list', () => {
    const config = JSON.parse(renderNadConfig({ ...base, addresses: ['10.1.1.1/24', '10.1.1.9/24'], routes: [] }));
    expect(config.plugins[0].terminations).to.deep.equal([{ network: '10.1.1.0/24' }]);
    expect(config.plugins[0].ipam.routes).to.deep.equal([]);
  });

  it('builds the NAD object owned by the attachment, and notices a changed config or owner', () => {
    const attachment: VpcAttachment = {
      metadata: { name: 'a', namespace: 'ns', uid: 'u-1' },
      spec: { vpc: { name: 'v' }, interface: { addresses: ['10.1.1.1/24'] }, routes: [] },
    };
    const nad = desiredNad(attachment, { vpc: '0000000004d2', attachment: '002a' }, 1372);
    expect(nad.metadata).to.deep.include({ name: 'a', namespace: 'ns' });
    expect(nad.metadata.ownerReferences).to.deep.equal([
      { apiVersion: 'galactic.datumapis.com/v1alpha', kind: 'VPCAttachment', name: 'a', uid: 'u-1', controller: true, blockOwnerDeletion: true },
    ]);
    expect(JSON.parse(nad.spec.config).name).to.equal('ns-a');
    expect(nadMatches(nad, nad)).to.equal(true);
    const edited = desiredNad({ ...attachment, spec: { ...attachment.spec, routes: [{ destination: '10.9.0.0/16', via: '10.1.1.254' }] } }, { vpc: '0000000004d2', attachment: '002a' }, 1372);
    expect(nadMatches(nad, edited)).to.equal(false);
    const reborn = desiredNad({ ...attachment, metadata: { ...attachment.metadata, uid: 'u-2' } }, { vpc: '0000000004d2', attachment: '002a' }, 1372);
    expect(nadMatches(nad, reborn)).to.equal(false);
  });

  it('reads back the identifiers a NAD was written with, and reports identifiers that changed since (never acted on)', () => {
    const attachment: VpcAttachment = {
      metadata: { name: 'a', namespace: 'ns', uid: 'u-1' },
      spec: { vpc: { name: 'v' }, interface: { addresses: ['10.1.1.1/24'] }, routes: [] },
      status: { identifier: '002a' },
    };
    const nad = desiredNad(attachment, { vpc: '0000000004d2', attachment: '002a' }, 1372);
    expect(nadIdentifiers(nad)).to.deep.equal({ vpc: '0000000004d2', attachment: '002a' });
    expect(identifierChange(nad, attachment, '0000000004d2')).to.equal(undefined);

    const changed = identifierChange(nad, { ...attachment, status: { identifier: 'beef' } }, '0000000004d2');
    expect(changed).to.include({ ready: false, reason: 'IdentifierChanged' });
    expect(changed!.message).to.match(/^status.identifier is beef, but the NetworkAttachmentDefinition was written with VPC 0000000004d2 and attachment 002a/);
    expect(identifierChange(nad, { ...attachment, status: {} }, '0000000004d2')!.message).to.match(/^status.identifier is gone/);
    expect(identifierChange(nad, attachment, '00000000beef')!.message).to.match(/^the VPC's status.identifier is 00000000beef, but/);

    const recreated = { ...attachment, metadata: { ...attachment.metadata, uid: 'u-2' }, status: { identifier: 'beef' } };
    expect(identifierChange(nad, recreated, '0000000004d2'), 'a new attachment of the same name gets its own NAD').to.equal(undefined);
  });
});
