// An OCI image archive (image layout: oci-layout, index.json, blobs/sha256)
// of one gzip layer, as `ctr images import` and `skopeo copy oci-archive:`
// read it. Digests with node:crypto; no registry, no daemon.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type TarEntry, tarArchive } from './tar.js';

export interface ImageConfig {
  /** Repository and tag, e.g. galactic:0.1.0 (containerd stores docker.io/library/galactic:0.1.0). */
  reference: string;
  entrypoint: string[];
  env: string[];
  labels?: Record<string, string>;
}

export interface OciArchive {
  archive: Buffer;
  /** Digest of the manifest: the image's identity. */
  manifestDigest: string;
  layerSize: number;
  compressedLayerSize: number;
}

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** docker.io/library/galactic:0.1.0 for galactic:0.1.0, as Kubernetes names the image of `image: galactic:0.1.0`. */
export function fullyQualified(reference: string): string {
  const [first] = reference.split('/');
  const hasRegistry = reference.includes('/') && first !== undefined && (/[.:]/.test(first) || first === 'localhost');
  if (hasRegistry) return reference;
  return reference.includes('/') ? `docker.io/${reference}` : `docker.io/library/${reference}`;
}

export function ociArchive(layerEntries: TarEntry[], config: ImageConfig): OciArchive {
  const layer = tarArchive(layerEntries);
  const compressed = gzipSync(layer);
  const imageConfig = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: config.entrypoint, Env: config.env, Labels: config.labels ?? {} },
      rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
      history: [{ created_by: 'hack/image/build.ts' }],
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(imageConfig), size: imageConfig.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(compressed), size: compressed.length }],
    }),
  );
  const tag = config.reference.slice(config.reference.lastIndexOf(':') + 1);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(manifest),
          size: manifest.length,
          platform: { architecture: 'amd64', os: 'linux' },
          annotations: { 'io.containerd.image.name': fullyQualified(config.reference), 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  const blob = (data: Buffer): TarEntry => ({ kind: 'file', path: `blobs/sha256/${sha256(data).slice('sha256:'.length)}`, data });
  const archive = tarArchive([
    { kind: 'file', path: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { kind: 'file', path: 'index.json', data: index },
    { kind: 'dir', path: 'blobs' },
    { kind: 'dir', path: 'blobs/sha256' },
    blob(compressed),
    blob(imageConfig),
    blob(manifest),
  ]);
  return { archive, manifestDigest: sha256(manifest), layerSize: layer.length, compressedLayerSize: compressed.length };
}
