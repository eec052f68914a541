// sysctls through /proc/sys: no process per write. Values apply to the
// network namespace of this process.
import { readFile, writeFile } from 'node:fs/promises';

const pathOf = (key: string): string => `/proc/sys/${key.replaceAll('.', '/')}`;

/** Reads a sysctl such as `net.ipv4.conf.all.forwarding`; interface names may not contain dots. */
export async function readSysctl(key: string): Promise<string> {
  return (await readFile(pathOf(key), 'utf8')).trim();
}

export async function writeSysctl(key: string, value: string | number): Promise<void> {
  await writeFile(pathOf(key), `${value}\n`);
}
