// What Multus does with a NetworkAttachmentDefinition: parse spec.config as a
// CNI network configuration list and hand each plugin its own config, with
// the list's name and cniVersion (libcni's conflist semantics).

export interface NetworkConfigList {
  cniVersion: string;
  name?: string;
  plugins: Array<Record<string, unknown>>;
}

/** The stdin config each plugin of the list receives (no prevResult: galactic is the only plugin). */
export function delegatedPluginConfigs(specConfig: string): Array<Record<string, unknown>> {
  const list = JSON.parse(specConfig) as Partial<NetworkConfigList>;
  if (!Array.isArray(list.plugins) || list.plugins.length === 0) throw new Error('NAD spec.config has no plugins');
  return list.plugins.map((plugin) => ({ ...plugin, cniVersion: list.cniVersion, ...(list.name !== undefined ? { name: list.name } : {}) }));
}

/** `k8s.v1.cni.cncf.io/networks: att@galactic0, other` ⇒ [{name, interface}]. */
export function parseNetworksAnnotation(value: string): Array<{ name: string; namespace?: string; interface?: string }> {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [ref, iface] = entry.split('@');
      const [first, second] = ref!.split('/');
      return second !== undefined ? { namespace: first!, name: second, ...(iface ? { interface: iface } : {}) } : { name: first!, ...(iface ? { interface: iface } : {}) };
    });
}
