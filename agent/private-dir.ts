// Directories the agent creates for its socket and state file: 0700 whatever
// the umask (mkdir's mode is masked by it), so no other user can reach the
// socket or read the registrations even for an instant.
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';

/**
 * Creates `dir` and any missing parents with mode 0700. Directories that
 * already exist keep their mode: the administrator chose it (the socket may
 * live in a shared directory such as /run).
 */
export async function makePrivateDirectory(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  let path = first;
  await chmod(path, 0o700);
  for (const part of relative(first, dir).split(sep).filter((p) => p !== '')) {
    path = `${path}${sep}${part}`;
    await chmod(path, 0o700);
  }
}

/** makePrivateDirectory for the directory a file goes in. */
export const makePrivateDirectoryFor = (file: string): Promise<void> => makePrivateDirectory(dirname(file));
