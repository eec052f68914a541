import { fileURLToPath } from 'node:url';

/** The executor script; the guest sees it at the same path through the shared root. */
export function executorPath(): string {
  return fileURLToPath(new URL('./guest-executor.mjs', import.meta.url));
}

/** The checkout this harness belongs to (hack/kernel/../..). */
export function repoRoot(): string {
  return fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
}
