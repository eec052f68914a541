import { expect } from 'chai';
import { Transaction, describeRollback } from './transaction.js';

describe('cni transaction', () => {
  it('undoes completed steps in reverse order on failure, including the failing step', async () => {
    const log: string[] = [];
    const undo = (what: string) => async () => void log.push(`undo ${what}`);
    let report: Parameters<typeof describeRollback>[0] | undefined;
    const failure = await Transaction.run(
      async (tx) => {
        await tx.step('a', async () => void log.push('a'), undo('a'));
        await tx.step('b', async () => void log.push('b'), undo('b'));
        await tx.step('c', async () => {
          log.push('c');
          throw new Error('c failed');
        }, undo('c'));
        await tx.step('d', async () => void log.push('d'), undo('d'));
      },
      (r) => (report = r),
    ).catch((error: Error) => error);
    expect((failure as Error).message).to.equal('c failed');
    expect(log).to.deep.equal(['a', 'b', 'c', 'undo c', 'undo b', 'undo a']);
    expect(report!.undone).to.deep.equal(['c', 'b', 'a']);
  });

  it('keeps undoing when an undo fails, and reports it', async () => {
    const tx = new Transaction();
    const log: string[] = [];
    await tx.step('a', async () => undefined, async () => void log.push('undo a'));
    await tx.step('b', async () => undefined, async () => {
      throw new Error('gone');
    });
    const report = await tx.rollback();
    expect(log).to.deep.equal(['undo a']);
    expect(report.failed).to.deep.equal([{ what: 'b', error: 'gone' }]);
    expect(describeRollback(report)).to.equal('rolled back: a; rollback failures: b: gone');
  });

  it('lets every parallel step settle before failing, then undoes them all', async () => {
    const log: string[] = [];
    const failure = await Transaction.run(async (tx) => {
      await tx.parallel([
        { what: 'fast failure', run: async () => Promise.reject(new Error('boom')), undo: async () => void log.push('undo fast') },
        {
          what: 'slow',
          run: () => new Promise((resolve) => setTimeout(() => resolve(log.push('slow done')), 20)),
          undo: async () => void log.push('undo slow'),
        },
      ]);
    }).catch((error: Error) => error);
    expect((failure as Error).message).to.equal('boom');
    expect(log).to.deep.equal(['slow done', 'undo slow', 'undo fast']);
  });

  it('returns the values of a successful parallel group in order', async () => {
    const tx = new Transaction();
    expect(await tx.parallel([{ what: 'x', run: async () => 1 }, { what: 'y', run: async () => 2 }])).to.deep.equal([1, 2]);
  });
});
