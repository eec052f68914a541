// Log lines stay bounded whatever a value holds (issue 8 defect 8: a 210 MB line).
import { expect } from 'chai';
import { createLogger, MAX_LOG_VALUE } from './log.js';

describe('logger', () => {
  it('cuts long string values at any depth and says how long they were', () => {
    const lines: string[] = [];
    const log = createLogger('test', { level: 'info', sink: (line) => lines.push(line) });
    log.warn('big', { payload: 'x'.repeat(100_000), nested: { network: 'y'.repeat(5000) }, short: 'kept' });
    expect(lines).to.have.length(1);
    expect(lines[0]!.length).to.be.below(2 * MAX_LOG_VALUE + 300);
    const record = JSON.parse(lines[0]!) as { payload: string; nested: { network: string }; short: string };
    expect(record.payload).to.equal(`${'x'.repeat(MAX_LOG_VALUE)}… (100000 characters)`);
    expect(record.nested.network).to.equal(`${'y'.repeat(MAX_LOG_VALUE)}… (5000 characters)`);
    expect(record.short).to.equal('kept');
  });
});
