// The sequence our agent stamps on its register, deregister and
// registration_set (proto/remote.proto, "Announcement order"): the router
// drops a worker's message at or below the highest it applied, so the numbers
// must keep increasing over the agent's whole life, restarts included.
//
// Numbers are handed out from a block reserved in a file next to the state
// file before the first of them is used (one synchronous write per block), and
// a run starts above both the reserved block and the wall clock in
// microseconds. A restart therefore never repeats a number: the file covers a
// clock set back, the clock covers a lost or unwritable file (the agent would
// need more than a million announcements a second for its numbers to outrun
// the clock). Only both at once (file lost and clock set back) could make the
// router drop this agent's announcements; its anti-entropy then still converges
// through Summaries, just not faster than them. 2^53 is reached in the year 2255.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { Logger } from '../lib/log.js';

/** Numbers reserved per write of the sequence file. */
export const SEQUENCE_BLOCK = 1_000_000;

export interface SequenceSource {
  /** The next number, greater than every one handed out before (in this run and, with a file, in earlier ones). */
  next(): number;
  /** Continues above `applied` (the router's applied sequence for this worker) if the numbers fell behind it. */
  continueAbove(applied: number): void;
}

export interface AnnouncementSequenceOptions {
  /** Where the reservation is kept; without one, the clock alone orders runs. */
  file?: string;
  /** Milliseconds since the epoch (tests). */
  clock?: () => number;
  logger?: Logger;
}

export class AnnouncementSequence implements SequenceSource {
  private last: number;
  private reserved: number;

  constructor(private readonly options: AnnouncementSequenceOptions = {}) {
    this.reserved = options.file === undefined ? 0 : readReservation(options.file, options.logger);
    this.last = Math.max(this.reserved, Math.floor((options.clock ?? Date.now)() * 1000));
  }

  next(): number {
    this.last += 1;
    if (this.options.file !== undefined && this.last > this.reserved) this.reserve(this.last + SEQUENCE_BLOCK - 1);
    return this.last;
  }

  continueAbove(applied: number): void {
    if (applied <= this.last) return;
    if (applied > Number.MAX_SAFE_INTEGER - SEQUENCE_BLOCK) {
      // Only a forged announcement puts a mark there; following it would leave no numbers to send.
      this.options.logger?.error('the router reports an applied announcement sequence near 2^53; not following it', { applied, last: this.last });
      return;
    }
    this.options.logger?.warn('the router has applied a higher announcement sequence than this agent uses (sequence file lost and clock set back?); continuing above it', {
      applied,
      last: this.last,
    });
    this.last = applied;
  }

  private reserve(upTo: number): void {
    const file = this.options.file!;
    try {
      writeDurably(file, `${upTo}\n`);
    } catch (error) {
      // The clock still orders a restart; the next block tries again.
      this.options.logger?.warn('cannot reserve announcement sequence numbers; a restart relies on the clock to keep them increasing', { file, error });
    }
    this.reserved = upTo;
  }
}

/** The reserved upper bound in `file`; 0 when there is none yet (or it is unreadable: the clock then orders the run). */
function readReservation(file: string, logger: Logger | undefined): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger?.warn('cannot read the announcement sequence file; starting from the clock', { file, error });
    return 0;
  }
  const value = Number(text.trim());
  if (Number.isSafeInteger(value) && value >= 0) return value;
  logger?.warn('the announcement sequence file does not hold a number; starting from the clock', { file });
  return 0;
}

/** Replaces `file` with `text` so that a crash leaves the old or the new content, on disk. */
function writeDurably(file: string, text: string): void {
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** The sequence file kept next to the agent's state file. */
export const sequenceFileFor = (stateFile: string): string => `${stateFile}.sequence`;
