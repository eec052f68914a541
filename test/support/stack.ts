// Mocha hooks around hack/stack.ts for the full-stack tests: one stack per
// file, its log printed when the start or a test fails.
import { type Stack, startStack } from '../../hack/stack.js';
import { galacticExecutable } from './datapath.js';

/** Starts the stack before the file's tests and stops it after; `current()` is the running stack. */
export function useStack(): { current: () => Stack } {
  let stack: Stack | undefined;
  const log: string[] = [];
  const printLog = () => console.log(log.slice(-80).join('\n'));
  before(async () => {
    try {
      stack = await startStack({ galactic: galacticExecutable(), log: (line) => log.push(line) });
    } catch (error) {
      printLog();
      throw error;
    }
  });
  after(async () => {
    await stack?.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') printLog();
  });
  return {
    current: () => {
      if (!stack) throw new Error('the stack did not start');
      return stack;
    },
  };
}
