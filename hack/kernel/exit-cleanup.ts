// Last-resort cleanup when the test process exits without close() (crash, process.exit,
// mocha --exit). Handlers must be synchronous: 'exit' listeners cannot await.
const handlers = new Set<() => void>();
let installed = false;

export function onProcessExit(handler: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const run of handlers) {
        try {
          run();
        } catch {
          // keep cleaning up the others
        }
      }
    });
  }
  handlers.add(handler);
  return () => handlers.delete(handler);
}

export function killQuietly(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
