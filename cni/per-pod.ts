// Per-pod inputs of a pool attachment (issue 9). Its NAD is one template for
// many pods; Multus hands each pod's own values to the plugin from the pod's
// networks annotation: `ips` as runtimeConfig.ips (the `ips` capability) and
// `cni-args` as args.cni. The endpoint identifier replaces the NAD's
// vpcattachment (so each pod has its own SID, VRF and registration) and the
// addresses become the static IPAM's addresses. Configs without them pass
// through unchanged.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function withPerPodArgs(raw: Record<string, unknown>): Record<string, unknown> {
  const cniArgs = isObject(raw.args) && isObject(raw.args.cni) ? raw.args.cni : {};
  const runtimeConfig = isObject(raw.runtimeConfig) ? raw.runtimeConfig : {};
  const ips = runtimeConfig.ips;
  const ipam = isObject(raw.ipam) ? raw.ipam : undefined;
  const hasOwnAddresses = Array.isArray(ipam?.addresses) && ipam.addresses.length > 0;
  const out = { ...raw };
  if (cniArgs.vpcattachment !== undefined) out.vpcattachment = cniArgs.vpcattachment;
  if (Array.isArray(ips) && ips.length > 0 && ipam && !hasOwnAddresses) {
    out.ipam = { ...ipam, addresses: ips.map((address) => ({ address })) };
    // host-device's static IPAM would otherwise add them a second time.
    const { ips: _moved, ...rest } = runtimeConfig;
    out.runtimeConfig = rest;
  }
  return out;
}
