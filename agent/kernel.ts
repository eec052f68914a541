// The kernel adapter: observes with `ip -j` and applies a pass's changes
// with `ip -batch`. A full observation (six `ip -j` reads) is kept and
// updated with the changes the agent applies, so a pass that follows a
// router message costs a diff and one batch, not a re-read of tens of
// thousands of routes; the kernel is read again after a failure, on
// invalidate() (periodic resync, gRPC registrations: the CNI plugin changes
// links) and at start.
import { performance } from 'node:perf_hooks';
import { CommandError, type IpRoute2, ipRoute2, run } from '../lib/iproute.js';
import { type Action, INET6_PREFIX, applyActions, formatAction } from './diff.js';
import { DEFAULT_OWNERSHIP, type IpJsonOutput, type ObservedKernel, type Ownership, parseObserved } from './kernel-state.js';

export interface KernelOptions {
  /** Network namespace (`ip -n`); default: the agent's own. */
  netns?: string;
  ownership?: Ownership;
}

/** The `ip -j` reads of one observation, in IpJsonOutput order. */
export const OBSERVE_ARGS = {
  routes4: ['-N', '-4', 'route', 'show', 'table', 'all'],
  routes6: ['-N', '-6', 'route', 'show', 'table', 'all'],
  nexthops4: ['-4', 'nexthop', 'show'],
  nexthops6: ['-6', 'nexthop', 'show'],
  proxies: ['neigh', 'show', 'proxy'],
  links: ['-d', 'link', 'show'],
} as const satisfies Record<keyof IpJsonOutput, readonly string[]>;

export class BatchError extends Error {
  override name = 'BatchError';
  constructor(
    message: string,
    /** The failing line, when ip named it. */
    readonly line: string | undefined,
    /** Its index in the batch: the lines before it were applied. */
    readonly lineIndex: number | undefined,
    /** Out of memory and the like: the kernel is as the lines before say. */
    readonly transient = false,
  ) {
    super(message);
  }
}

export class Kernel {
  private readonly ip: IpRoute2;
  private readonly netnsArgs: string[];
  private readonly ownership: Ownership;
  private cache: ObservedKernel | undefined;
  /** Count of full reads, for tests and metrics. */
  fullReads = 0;
  /** Time the last apply() spent in ip processes. */
  lastBatchMs = 0;

  constructor(options: KernelOptions = {}) {
    this.ip = ipRoute2(options.netns ? { netns: options.netns } : {});
    this.netnsArgs = options.netns ? ['-n', options.netns] : [];
    this.ownership = options.ownership ?? DEFAULT_OWNERSHIP;
  }

  /** Reads everything the agent looks at from the kernel. */
  async read(): Promise<ObservedKernel> {
    const entries = await Promise.all(Object.entries(OBSERVE_ARGS).map(async ([name, args]) => [name, await this.ip.json([...args])] as const));
    this.fullReads++;
    return parseObserved(Object.fromEntries(entries) as unknown as IpJsonOutput, this.ownership);
  }

  /** The kept observation, or a fresh read when there is none. */
  async observe(): Promise<ObservedKernel> {
    this.cache ??= await this.read();
    return this.cache;
  }

  /** The next observe() reads the kernel. */
  invalidate(): void {
    this.cache = undefined;
  }

  /**
   * Applies the actions in order. IPv6 nexthop creations need `ip -6` (a
   * batch line cannot carry the family): the diff puts all creations first,
   * so they go in an `ip -6 -batch` ahead of the rest, order preserved.
   *
   * `ip -batch` stops at the first failing line, so everything before it was
   * done. After a transient failure (the kernel out of atomic memory, seen
   * when tens of thousands of seg6 states are created at once on a busy
   * host), the kept observation takes those changes and stays: the retry
   * continues where the batch stopped without reading the kernel again.
   * Any other failure means the observation may be wrong: the next pass
   * reads the kernel.
   */
  async apply(actions: readonly Action[]): Promise<void> {
    if (actions.length === 0) return;
    const observed = this.cache;
    const inet6: Action[] = [];
    const rest: Action[] = [];
    const inet6Lines: string[] = [];
    const restLines: string[] = [];
    for (const action of actions) {
      const line = formatAction(action, this.ownership);
      if (line.startsWith(INET6_PREFIX)) {
        inet6.push(action);
        inet6Lines.push(line.slice(INET6_PREFIX.length));
      } else {
        rest.push(action);
        restLines.push(line);
      }
    }
    let done: Action[] = [];
    const started = performance.now();
    try {
      await this.batch(['-6'], inet6Lines);
      done = inet6;
      await this.batch([], restLines);
      done = actions as Action[];
    } catch (error) {
      if (error instanceof BatchError && error.transient && error.lineIndex !== undefined && observed && this.cache === observed) {
        const list = done === inet6 ? rest : inet6;
        applyActions(observed, [...done, ...list.slice(0, error.lineIndex)], this.ownership);
      } else {
        this.invalidate();
      }
      throw error;
    } finally {
      this.lastBatchMs = performance.now() - started;
    }
    if (observed && this.cache === observed) applyActions(observed, actions, this.ownership);
  }

  private async batch(options: string[], lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    try {
      await run(['ip', ...this.netnsArgs, ...options, '-batch', '-'], { input: `${lines.join('\n')}\n` });
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      const match = /Command failed -:(\d+)/.exec(error.stderr);
      const index = match ? Number(match[1]) - 1 : undefined;
      const line = index === undefined ? undefined : lines[index];
      const reason = error.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Command failed')).join('; ');
      throw new BatchError(`ip ${[...options, '-batch'].join(' ')} failed${line ? ` at "${line}"` : ''}: ${reason || error.message}`, line, index, TRANSIENT.test(reason));
    }
  }
}

/** Failures that say nothing about the kernel's state: retry where the batch stopped. */
const TRANSIENT = /Cannot allocate memory|No buffer space available/;
