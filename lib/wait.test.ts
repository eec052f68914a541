import { expect } from 'chai';
import { WaitTimeoutError, waitFor } from './wait.js';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? 'ready' : undefined), { what: 'three calls', intervalMs: 1 });
    expect(value).to.equal('ready');
    expect(calls).to.equal(3);
  });

  it('fails naming what it waited for and the last error', async () => {
    const failure = await waitFor(
      () => {
        throw new Error('connection refused');
      },
      { what: 'the agent socket', timeoutMs: 20, intervalMs: 5 },
    ).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(WaitTimeoutError);
    expect((failure as Error).message).to.match(/waiting for the agent socket \(last error: connection refused\)/);
  });
});
