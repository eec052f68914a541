// Exponential backoff with a cap and optional jitter, shared by the reconcile
// loop, MQTT reconnects and work queues.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the fraction of each delay that is randomised, so peers don't retry in lockstep. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** Delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, options: Partial<BackoffOptions> = {}, random = Math.random): number {
  const { initialMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - jitter + jitter * random()));
}
