// A transaction of steps with compensations: each step registers its undo
// *before* it runs (so a half-done step is undone too; undos tolerate
// "already gone"), and on failure the undos run in reverse order. Steps of a
// parallel group all settle before the transaction decides.

export interface Compensation {
  what: string;
  undo: () => Promise<void>;
}

export interface RollbackReport {
  undone: string[];
  failed: Array<{ what: string; error: string }>;
}

export class Transaction {
  private readonly compensations: Compensation[] = [];

  /** Registers the undo of `what`, then runs it. */
  async step<T>(what: string, run: () => Promise<T>, undo?: () => Promise<void>): Promise<T> {
    if (undo) this.compensations.push({ what, undo });
    return run();
  }

  /** Runs steps concurrently; if any fails, waits for the others and throws the first failure. */
  async parallel(steps: Array<{ what: string; run: () => Promise<unknown>; undo?: () => Promise<void> }>): Promise<unknown[]> {
    const settled = await Promise.allSettled(steps.map((s) => this.step(s.what, s.run, s.undo)));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
  }

  /** Undoes every registered step, last first; never throws. */
  async rollback(): Promise<RollbackReport> {
    const report: RollbackReport = { undone: [], failed: [] };
    while (this.compensations.length) {
      const { what, undo } = this.compensations.pop()!;
      try {
        await undo();
        report.undone.push(what);
      } catch (error) {
        report.failed.push({ what, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return report;
  }

  /** Runs `body`; on failure rolls back and rethrows, with the report attached. */
  static async run<T>(body: (tx: Transaction) => Promise<T>, onRollback?: (report: RollbackReport, error: unknown) => void): Promise<T> {
    const tx = new Transaction();
    try {
      return await body(tx);
    } catch (error) {
      const report = await tx.rollback();
      onRollback?.(report, error);
      throw error;
    }
  }
}

export function describeRollback(report: RollbackReport): string {
  const parts = [`rolled back: ${report.undone.length ? report.undone.join(', ') : 'nothing to undo'}`];
  if (report.failed.length) parts.push(`rollback failures: ${report.failed.map((f) => `${f.what}: ${f.error}`).join('; ')}`);
  return parts.join('; ');
}
