// Shared test inputs.

/** SPEC §3's NAD config, as written there (VPC 1234 = jU, attachment 42 = G). */
const SPEC_NAD = `{"cniVersion":"1.0.0","name":"default-sjc","plugins":[{
  "type":"galactic",
  "vpc":"jU","vpcattachment":"G",
  "mtu":1372,
  "terminations":[{"network":"10.1.1.0/24"},{"network":"2001:10:1:1::/64"},
                  {"network":"192.168.1.0/24","via":"10.1.1.1"}],
  "ipam":{"type":"static",
          "addresses":[{"address":"10.1.1.1/24"},{"address":"2001:10:1:1::1/64"}],
          "routes":[{"dst":"192.168.2.0/24","gw":"10.1.1.3"}]}}]}`;

const nad = JSON.parse(SPEC_NAD) as { cniVersion: string; name: string; plugins: Array<Record<string, unknown>> };

/** Its plugin entry as Multus hands it to the plugin: name and cniVersion from the list. */
export const SPEC_EXAMPLE = { ...nad.plugins[0]!, cniVersion: nad.cniVersion, name: nad.name } as {
  cniVersion: string;
  name: string;
  type: string;
  vpc: string;
  vpcattachment: string;
  mtu: number;
  terminations: Array<{ network: string; via?: string }>;
  ipam: { type: string; addresses: Array<{ address: string }>; routes: Array<{ dst: string; gw: string }> };
};
