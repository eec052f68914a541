// Test PKI: EC P-256 keys from node:crypto, X.509 certificates from the
// openssl CLI (node:crypto cannot issue certificates).
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its private key, PEM encoded. */
export interface CertPem { certPem: string; keyPem: string }

export interface CertRequest {
  commonName: string;
  /** Subject O= entries; for client certs these are the Kubernetes groups. */
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
  days?: number;
}

/** A new EC P-256 private key (PKCS#8 PEM) and its public key (SPKI PEM). */
export function newKeyPair(): { keyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { keyPem: privateKey, publicKeyPem: publicKey };
}

/** A self-signed CA. */
export function newCa(commonName = 'galactic-envtest-ca', days = 7): Promise<CertPem> {
  return openssl(undefined, { commonName, days }, [
    'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, keyCertSign, cRLSign, digitalSignature',
    'subjectKeyIdentifier = hash',
  ]);
}

/** A leaf certificate signed by `ca` (e.g. a webhook's serving cert). */
export function issueCert(ca: CertPem, req: CertRequest): Promise<CertPem> {
  const san = [...(req.dnsNames ?? []).map((d) => `DNS:${d}`), ...(req.ipAddresses ?? []).map((ip) => `IP:${ip}`)];
  return openssl(ca, req, [
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    `extendedKeyUsage = ${req.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    ...(san.length ? [`subjectAltName = ${san.join(', ')}`] : []),
  ]);
}

async function openssl(
  ca: CertPem | undefined,
  subject: { commonName: string; organizations?: string[]; days?: number },
  extensions: string[],
): Promise<CertPem> {
  const { keyPem } = newKeyPair();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'galactic-pki-'));
  try {
    const file = (name: string) => path.join(dir, name);
    const dn = [
      ...(subject.organizations ?? []).map((o, i) => `${i}.O = ${o}`),
      `CN = ${subject.commonName}`,
    ];
    const config = ['[req]', 'prompt = no', 'distinguished_name = dn', '[dn]', ...dn, '[ext]', ...extensions, ''];
    await writeFile(file('openssl.cnf'), config.join('\n'));
    await writeFile(file('key.pem'), keyPem, { mode: 0o600 });
    const args = [
      'req', '-x509', '-new', '-config', file('openssl.cnf'), '-extensions', 'ext',
      '-key', file('key.pem'), '-days', String(subject.days ?? 7), '-sha256',
    ];
    if (ca) {
      await writeFile(file('ca.crt'), ca.certPem);
      await writeFile(file('ca.key'), ca.keyPem, { mode: 0o600 });
      args.push('-CA', file('ca.crt'), '-CAkey', file('ca.key'));
    }
    const { stdout } = await run('openssl', args);
    return { certPem: stdout, keyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
