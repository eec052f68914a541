// A minimal, reproducible POSIX ustar writer: owner root, mtime 0, entries
// in the order given. Enough for image layers and the image archive.

export type TarEntry =
  | { kind: 'file'; path: string; data: Buffer; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'dir'; path: string; mode?: number };

const BLOCK = 512;

/** The tar archive of the entries (paths relative, no leading slash; directories end without one). */
export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.kind === 'file' ? entry.data : Buffer.alloc(0);
    parts.push(header(entry, data.length));
    if (data.length > 0) parts.push(data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const name = entry.kind === 'dir' ? `${entry.path}/` : entry.path;
  const [prefix, base] = splitName(name);
  const mode = entry.kind === 'symlink' ? 0o777 : (entry.mode ?? (entry.kind === 'dir' ? 0o755 : 0o644));
  block.write(base, 0, 100, 'utf8');
  octal(block, 100, 8, mode);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, size);
  octal(block, 136, 12, 0); // mtime
  block.fill(' ', 148, 156); // checksum placeholder
  block.write({ file: '0', symlink: '2', dir: '5' }[entry.kind], 156, 1, 'ascii');
  if (entry.kind === 'symlink') {
    if (Buffer.byteLength(entry.target) > 100) throw new Error(`symlink target too long for ustar: ${entry.target}`);
    block.write(entry.target, 157, 100, 'utf8');
  }
  block.write('ustar\u000000', 257, 8, 'binary');
  block.write('root', 265, 32, 'utf8');
  block.write('root', 297, 32, 'utf8');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'binary');
  return block;
}

/** ustar keeps names over 100 bytes as prefix (up to 155) + '/' + name (up to 100). */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let i = name.lastIndexOf('/', name.length - 2); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return [prefix, base];
  }
  throw new Error(`path too long for ustar: ${name}`);
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}
