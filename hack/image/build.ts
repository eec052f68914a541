// `make image`: writes dist/galactic-image.tar, an OCI image archive of
// galactic:<package version> built from dist/galactic (make build) and this
// machine's Debian packages. Import it on a node with
//   ctr -n k8s.io images import dist/galactic-image.tar
// Usage: node --import tsx hack/image/build.ts [--output FILE]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ImageEntry, GALACTIC_DIR, IMAGE_PATH, imageContents } from './contents.js';
import { ociArchive } from './oci.js';
import type { TarEntry } from './tar.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const imageReference = (): string => `galactic:${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;
export const DEFAULT_ARCHIVE = join(ROOT, 'dist/galactic-image.tar');

/** The layer's entries: every parent directory first, then the contents, paths without the leading slash. */
export function layerEntries(contents: ImageEntry[]): TarEntry[] {
  const dirs = new Map<string, number | undefined>();
  for (const entry of contents) {
    const parts = entry.path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.has(dir)) dirs.set(dir, undefined);
    }
    if (entry.kind === 'dir') dirs.set(parts.join('/'), entry.mode);
  }
  const links = new Set(contents.filter((e) => e.kind === 'symlink').map((e) => e.path.slice(1)));
  const tar: TarEntry[] = [...dirs]
    .filter(([dir]) => !links.has(dir))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, mode]) => ({ kind: 'dir', path, ...(mode !== undefined ? { mode } : {}) }));
  for (const entry of contents) {
    const path = entry.path.slice(1);
    if (entry.kind === 'file') tar.push({ kind: 'file', path, data: readFileSync(entry.source), ...(entry.mode !== undefined ? { mode: entry.mode } : {}) });
    else if (entry.kind === 'symlink') tar.push({ kind: 'symlink', path, target: entry.target });
  }
  return tar;
}

export function buildImage(output = DEFAULT_ARCHIVE): { reference: string; size: number; layerSize: number; files: number } {
  const reference = imageReference();
  const contents = imageContents({ executable: join(ROOT, 'dist/galactic'), nodeModules: join(ROOT, 'dist/node_modules') });
  const image = ociArchive(layerEntries(contents), {
    reference,
    entrypoint: ['/usr/local/bin/galactic'],
    env: [`PATH=${IMAGE_PATH}`],
    labels: { 'org.opencontainers.image.title': 'galactic', 'org.opencontainers.image.source': GALACTIC_DIR },
  });
  const partial = `${output}.${process.pid}.tmp`;
  writeFileSync(partial, image.archive);
  renameSync(partial, output);
  return { reference, size: image.archive.length, layerSize: image.layerSize, files: contents.filter((e) => e.kind === 'file').length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--output');
  const output = at >= 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : DEFAULT_ARCHIVE;
  const started = Date.now();
  const built = buildImage(output);
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  process.stderr.write(
    `image: ${built.reference} → ${output}: ${mib(built.size)} (unpacked ${mib(built.layerSize)}, ${built.files} files) in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
      `image: import with  ctr -n k8s.io images import ${output}\n`,
  );
}
