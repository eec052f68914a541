// A throwaway network namespace on this machine's kernel for kernel-adapter
// tests and the benchmark: seg6 encap and nexthop objects work on `lo`
// without any module (no VRF, dummy or veth needed).
import { run } from '../../lib/iproute.js';

export interface Netns {
  name: string;
  /** `ip -n <name> <args>`, stdout. */
  ip(args: string[], input?: string): Promise<string>;
  delete(): Promise<void>;
}

let counter = 0;

/** Creates `galactic-<tag>-<pid>-<n>` with lo up; a leftover of the same name is removed first. */
export async function createNetns(tag: string): Promise<Netns> {
  const name = `galactic-${tag}-${process.pid}-${counter++}`;
  await run(['ip', 'netns', 'del', name]).catch(() => undefined);
  await run(['ip', 'netns', 'add', name]);
  const ip = (args: string[], input?: string): Promise<string> => run(['ip', '-n', name, ...args], input === undefined ? {} : { input });
  try {
    await ip(['link', 'set', 'lo', 'up']);
  } catch (error) {
    await run(['ip', 'netns', 'del', name]).catch(() => undefined);
    throw error;
  }
  return { name, ip, delete: () => run(['ip', 'netns', 'del', name]).then(() => undefined) };
}
