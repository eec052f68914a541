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

/** One network selection element of the annotation (Multus' NetworkSelectionElement, the fields we use). */
export interface NetworkSelection {
  name: string;
  namespace?: string;
  interface?: string;
  ips?: string[];
  'cni-args'?: Record<string, unknown>;
}

/**
 * `k8s.v1.cni.cncf.io/networks` in either form: `att@galactic0, ns/other` or
 * the JSON list `[{"name": "att", "interface": "galactic0", "ips": […], "cni-args": {…}}]`.
 */
export function parseNetworksAnnotation(value: string): NetworkSelection[] {
  if (value.trim().startsWith('[')) return JSON.parse(value) as NetworkSelection[];
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

/**
 * What Multus adds to a plugin's config from the pod's selection element:
 * `ips` as runtimeConfig.ips when the plugin declares the `ips` capability
 * (libcni passes only declared capabilities), `cni-args` as args.cni.
 */
export function withSelection(config: Record<string, unknown>, selection: NetworkSelection): Record<string, unknown> {
  const capabilities = (config.capabilities ?? {}) as Record<string, boolean>;
  return {
    ...config,
    ...(selection.ips && capabilities.ips ? { runtimeConfig: { ips: selection.ips } } : {}),
    ...(selection['cni-args'] ? { args: { cni: selection['cni-args'] } } : {}),
  };
}
