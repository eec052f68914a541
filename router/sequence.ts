// Announcement order (proto/remote.proto, Envelope.sequence): a worker's
// sequenced register, deregister or registration set at or below the highest
// sequence the store has applied for it is a replay, a duplicate or older than
// something applied, and is dropped; applying it could undo newer state, while
// dropping it can only delay convergence (the worker's next Summary repairs
// whatever it would still have changed). Unsequenced messages (original
// agents, SPEC §9) are applied as they come.
import type { Logger } from '../lib/log.js';
import type { Counter } from '../lib/metrics.js';
import type { AppliedSequence, Store } from './store.js';

export type SequencedKind = 'register' | 'deregister' | 'registrationSet';

export type Admission = { stale: true } | { stale: false; applied?: AppliedSequence };

export class AnnouncementOrder {
  /** Each worker's mark as last read from or written to the store: one store read per worker, not per message. */
  private readonly marks = new Map<string, number>();

  constructor(
    private readonly store: Pick<Store, 'appliedSequence'>,
    private readonly staleDropped: Counter<'kind'>,
    private readonly log: Logger,
  ) {}

  /**
   * Whether a message may be applied, and the mark to store with its changes
   * (in the same transaction) if it carries a sequence.
   */
  async admit(worker: string, kind: SequencedKind, sequence: number | undefined): Promise<Admission> {
    if (sequence === undefined) return { stale: false };
    const applied = this.marks.get(worker) ?? (await this.store.appliedSequence(worker));
    if (applied !== undefined) this.marks.set(worker, applied);
    if (applied !== undefined && sequence <= applied) {
      this.staleDropped.inc({ kind });
      this.log.info('dropped a stale message: its worker has newer announcements applied', { worker, kind, sequence, applied });
      return { stale: true };
    }
    return { stale: false, applied: { worker, sequence } };
  }

  /** The write carrying `mark` committed (true), or may or may not have (false: the store is asked again). */
  written(mark: AppliedSequence, committed: boolean): void {
    if (!committed) this.marks.delete(mark.worker);
    else if (mark.sequence > (this.marks.get(mark.worker) ?? -1)) this.marks.set(mark.worker, mark.sequence);
  }
}
