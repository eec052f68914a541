// CNI versions and results. Internally a result has the 1.0.0 shape; it is
// read from and written in whatever version the runtime or the delegate
// speaks: 1.x as is, 0.3.x/0.4.0 with `version` on each IP, 0.1.0/0.2.0 as
// `ip4`/`ip6` objects.
import { CniError, ErrorCode } from './errors.js';

export const SUPPORTED_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;
export const LATEST_VERSION = '1.1.0';

export interface CniInterface {
  name: string;
  mac?: string;
  mtu?: number;
  sandbox?: string;
}

export interface CniIp {
  address: string;
  gateway?: string;
  interface?: number;
}

export interface CniRoute {
  dst: string;
  gw?: string;
  [key: string]: unknown;
}

export interface CniResult {
  interfaces?: CniInterface[];
  ips?: CniIp[];
  routes?: CniRoute[];
  dns?: Record<string, unknown>;
}

/** -1, 0, 1 like a comparator; both must be x.y.z. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function isSupportedVersion(version: string): boolean {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(version);
}

/** Throws code 1 unless the version is one this plugin speaks. */
export function requireSupportedVersion(version: string): void {
  if (!isSupportedVersion(version)) {
    throw new CniError(
      ErrorCode.IncompatibleVersion,
      `cniVersion ${JSON.stringify(version)} is not supported; use one of ${SUPPORTED_VERSIONS.join(', ')}`,
      `cniVersion: set one of ${SUPPORTED_VERSIONS.join(', ')} in the network configuration`,
    );
  }
}

const isLegacy = (version: string): boolean => compareVersions(version, '0.3.0') < 0;
const familyOf = (address: string): '4' | '6' => (address.includes(':') ? '6' : '4');

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

/** Reads a result of any supported version (a delegate's output or a prevResult). */
export function parseResult(value: unknown): CniResult {
  const raw = asObject(value, 'result');
  const version = typeof raw.cniVersion === 'string' ? raw.cniVersion : '1.0.0';
  const result: CniResult = {};
  if (isLegacy(version)) {
    const ips: CniIp[] = [];
    const routes: CniRoute[] = [];
    for (const key of ['ip4', 'ip6']) {
      if (raw[key] === undefined) continue;
      const ip = asObject(raw[key], key);
      if (typeof ip.ip === 'string') ips.push({ address: ip.ip, ...(typeof ip.gateway === 'string' ? { gateway: ip.gateway } : {}) });
      if (Array.isArray(ip.routes)) routes.push(...(ip.routes as CniRoute[]));
    }
    if (ips.length) result.ips = ips;
    if (routes.length) result.routes = routes;
  } else {
    if (Array.isArray(raw.interfaces)) result.interfaces = raw.interfaces as CniInterface[];
    if (Array.isArray(raw.ips)) {
      result.ips = (raw.ips as Array<CniIp & { version?: string }>).map(({ version: _version, ...ip }) => ip);
    }
    if (Array.isArray(raw.routes)) result.routes = raw.routes as CniRoute[];
  }
  if (raw.dns !== undefined && typeof raw.dns === 'object' && raw.dns !== null) result.dns = raw.dns as Record<string, unknown>;
  return result;
}

/** A result in the JSON shape of `version`. */
export function renderResult(result: CniResult, version: string): Record<string, unknown> {
  if (isLegacy(version)) {
    const out: Record<string, unknown> = { cniVersion: version };
    for (const family of ['4', '6'] as const) {
      const ip = result.ips?.find((i) => familyOf(i.address) === family);
      if (!ip) continue;
      const routes = (result.routes ?? []).filter((r) => familyOf(r.dst) === family);
      out[`ip${family}`] = { ip: ip.address, ...(ip.gateway ? { gateway: ip.gateway } : {}), ...(routes.length ? { routes } : {}) };
    }
    if (result.dns) out.dns = result.dns;
    return out;
  }
  const withVersion = compareVersions(version, '1.0.0') < 0;
  return {
    cniVersion: version,
    ...(result.interfaces ? { interfaces: result.interfaces } : {}),
    ...(result.ips ? { ips: result.ips.map((ip) => (withVersion ? { version: familyOf(ip.address), ...ip } : ip)) } : {}),
    ...(result.routes ? { routes: result.routes } : {}),
    ...(result.dns ? { dns: result.dns } : {}),
  };
}

/** The version to speak with host-device: 1.1.0 results are 1.0.0-shaped, and not every host-device knows 1.1.0. */
export function delegateVersion(version: string): string {
  return compareVersions(version, '1.0.0') > 0 ? '1.0.0' : version;
}
