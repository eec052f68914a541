// The announcement sequence must keep increasing across agent restarts
// (the router drops what is not above what it applied): through the file
// when the clock goes back, through the clock when the file is lost.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../lib/log.js';
import { AnnouncementSequence, SEQUENCE_BLOCK } from './sequence.js';

describe('agent announcement sequence', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'galactic-sequence-'));
    file = join(dir, 'agent-state.json.sequence');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const take = (sequence: AnnouncementSequence, n: number): number[] => Array.from({ length: n }, () => sequence.next());

  it('starts above the clock in microseconds and increases', () => {
    const numbers = take(new AnnouncementSequence({ clock: () => 1_700_000_000_000 }), 3);
    expect(numbers).to.deep.equal([1_700_000_000_000_001, 1_700_000_000_000_002, 1_700_000_000_000_003]);
  });

  it('a restart with the clock set back continues above every number used before (the file)', () => {
    const before = take(new AnnouncementSequence({ file, clock: () => 1_700_000_000_000 }), 5);
    // No orderly shutdown: the next run reads only what the first wrote before handing out numbers.
    const after = new AnnouncementSequence({ file, clock: () => 1_600_000_000_000 }).next();
    expect(after).to.be.greaterThan(before.at(-1)!);
  });

  it('a run that outgrows its block reserves the next one before using it', () => {
    const first = new AnnouncementSequence({ file, clock: () => 0 });
    const numbers = take(first, SEQUENCE_BLOCK + 1);
    expect(Number(readFileSync(file, 'utf8'))).to.be.at.least(numbers.at(-1)!);
    expect(new AnnouncementSequence({ file, clock: () => 0 }).next()).to.be.greaterThan(numbers.at(-1)!);
  });

  it('a lost file: the clock keeps a restart above the earlier run', () => {
    const before = take(new AnnouncementSequence({ file, clock: () => 1_700_000_000_000 }), 5);
    rmSync(file);
    expect(new AnnouncementSequence({ file, clock: () => 1_700_000_000_001 }).next()).to.be.greaterThan(before.at(-1)!);
  });

  it('continues above the router\'s applied sequence when it fell behind, never goes back', () => {
    const sequence = new AnnouncementSequence({ file, clock: () => 1_600_000_000_000 });
    sequence.continueAbove(1_900_000_000_000_000);
    expect(sequence.next()).to.equal(1_900_000_000_000_001);
    sequence.continueAbove(5);
    expect(sequence.next()).to.equal(1_900_000_000_000_002);
    sequence.continueAbove(Number.MAX_SAFE_INTEGER); // forged: no numbers would be left above it
    expect(sequence.next()).to.equal(1_900_000_000_000_003);
    expect(new AnnouncementSequence({ file, clock: () => 0 }).next(), 'reserved in the file').to.be.greaterThan(1_900_000_000_000_002);
  });

  it('an unwritable or garbled file is reported and the clock orders the run', () => {
    const logger = memoryLogger('agent');
    writeFileSync(file, 'not a number\n');
    const garbled = new AnnouncementSequence({ file, clock: () => 1_700_000_000_000, logger });
    expect(garbled.next()).to.equal(1_700_000_000_000_001);
    const unwritable = new AnnouncementSequence({ file: join(dir, 'missing', 'sequence'), clock: () => 1_700_000_000_000, logger });
    expect(take(unwritable, 2)).to.deep.equal([1_700_000_000_000_001, 1_700_000_000_000_002]);
    const warnings = logger.lines.filter((l) => l['level'] === 'warn').map((l) => l['msg']);
    expect(warnings).to.deep.equal([
      'the announcement sequence file does not hold a number; starting from the clock',
      'cannot reserve announcement sequence numbers; a restart relies on the clock to keep them increasing',
    ]);
  });
});
