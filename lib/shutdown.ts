// SIGTERM/SIGINT for a daemon, listened to from the first line of its run():
// a signal during start-up (waiting for its Node, connecting to a broker)
// must stop it in order, not let Node's default handler kill it mid-change.
import type { Logger } from './log.js';

export interface Shutdown {
  /** Resolves with the first SIGTERM/SIGINT. */
  requested: Promise<NodeJS.Signals>;
  /** Aborted by that signal: pass to start-up steps that may wait forever. */
  signal: AbortSignal;
  /** Stops listening (the next signal gets Node's default handling again). */
  dispose(): void;
}

export function listenForShutdown(logger: Logger): Shutdown {
  const controller = new AbortController();
  let resolveRequested!: (signal: NodeJS.Signals) => void;
  const requested = new Promise<NodeJS.Signals>((resolve) => (resolveRequested = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info('signal received; shutting down', { signal });
    dispose();
    controller.abort(new Error(`stopped by ${signal}`));
    resolveRequested(signal);
  };
  const dispose = (): void => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { requested, signal: controller.signal, dispose };
}
