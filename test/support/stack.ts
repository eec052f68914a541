// Mocha hooks for the full-stack tests: one running thing (hack/stack.ts's
// stack, or hack/node's KubeletStack) per file, its log printed when the start
// or a test fails.
import { type KubeletStackOptions, KubeletStack } from '../../hack/node/kubelet-stack.js';
import { type Stack, startStack } from '../../hack/stack.js';
import { galacticExecutable } from './datapath.js';

interface StartedOptions<T> {
  stop: (running: T) => Promise<void>;
  /** More for a failed test's report than the log's last lines. */
  report?: (running: T) => Promise<string>;
  /** How many of the log's last lines a failure prints. */
  logLines?: number;
  /** For the start, and 5 minutes for the stop (default: the file's timeout). */
  timeoutMs?: number;
}

/**
 * Runs `start` before the file's tests and `stop` after; `current()` is what
 * it started. `start` cleans up after itself when it fails.
 */
export function useStarted<T>(start: (log: (line: string) => void) => Promise<T>, options: StartedOptions<T>): { current: () => T } {
  let running: T | undefined;
  const log: string[] = [];
  const printLog = () => console.log(log.slice(-(options.logLines ?? 80)).join('\n'));
  before(async function () {
    if (options.timeoutMs) this.timeout(options.timeoutMs);
    try {
      running = await start((line) => log.push(line));
    } catch (error) {
      printLog();
      throw error;
    }
  });
  after(async function () {
    if (options.timeoutMs) this.timeout(5 * 60_000);
    if (running !== undefined) await options.stop(running);
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    printLog();
    const report = running !== undefined && (await options.report?.(running).catch((error: Error) => error.message));
    if (report) console.log(report);
  });
  return {
    current: () => {
      if (running === undefined) throw new Error('the stack did not start');
      return running;
    },
  };
}

/** hack/stack.ts's stack (lab agents, attachPod playing kubelet + Multus). */
export function useStack(): { current: () => Stack } {
  return useStarted((log) => startStack({ galactic: galacticExecutable(), log }), { stop: (stack) => stack.stop() });
}

/**
 * hack/node's KubeletStack with the `options` given when the hook runs (they
 * may build the image); its milestones and start-up figures are printed, not asserted.
 */
export function useKubeletStack(options: () => Omit<KubeletStackOptions, 'galactic' | 'log' | 'progress'>): { current: () => KubeletStack } {
  return useStarted(
    async (log) => {
      const kube = new KubeletStack({ ...options(), galactic: galacticExecutable(), log, progress: (line) => console.log(`      ${line}`) });
      try {
        await kube.start();
      } catch (error) {
        log(await kube.daemonLogs().catch((e: Error) => e.message));
        await kube.stop();
        throw error;
      }
      return kube;
    },
    { stop: (kube) => kube.stop(), report: (kube) => kube.daemonLogs(), logLines: 400, timeoutMs: 30 * 60_000 },
  );
}
