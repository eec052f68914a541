// Shared test inputs: SPEC §3's example entry as Multus hands it to the plugin.

/** SPEC §3's example, as Multus hands the plugin entry over (name and cniVersion from the list). */
export const SPEC_EXAMPLE = {
  cniVersion: '1.0.0',
  name: 'default-sjc',
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
};
