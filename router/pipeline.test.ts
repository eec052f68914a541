// The router's two-stage message stream (router/pipeline.ts) with the store
// and the broker replaced by controllable promises: what it handles, publishes
// and acknowledges, and in which order.
import { expect } from 'chai';
import { Subject } from 'rxjs';
import { waitFor } from '../lib/wait.js';
import type { Publication } from './core.js';
import { MessagePipeline, type PipelineOptions } from './pipeline.js';
import type { InboundMessage } from './transport.js';

/** A broker acknowledgement the test resolves or rejects. */
interface Pending {
  names: string[];
  resolve(): void;
  reject(error: Error): void;
}

function harness(overrides: Partial<PipelineOptions> = {}) {
  const messages$ = new Subject<InboundMessage>();
  const events: string[] = [];
  const publishes: Pending[] = [];
  let turn: Promise<unknown> = Promise.resolve();
  const pipeline = new MessagePipeline({
    handle: async (inbound) => {
      events.push(`handle ${inbound.topic}`);
      return [{ worker: 'w', topic: `routes of ${inbound.topic}`, message: { kind: 'resyncComplete', requestId: '', routes: 0 }, payload: new Uint8Array() }] satisfies Publication[];
    },
    publish: (publications) =>
      new Promise<void>((resolve, reject) => {
        const names = publications.map((p) => p.topic);
        events.push(`publish ${names.join(', ')}`);
        publishes.push({ names, resolve, reject });
      }),
    inTurn: <T>(work: () => Promise<T>): Promise<T> => {
      const run = turn.then(work);
      turn = run.catch(() => undefined);
      return run;
    },
    maxAttempts: 3,
    retryInitialMs: 1,
    stopping: () => false,
    onFailure: (stage, inbound, attempt, _error, retryInMs) => events.push(`${stage} of ${inbound.topic} failed (attempt ${attempt}${retryInMs === undefined ? ', set aside' : ''})`),
    onSuccess: () => undefined,
    ...overrides,
  });
  const subscription = pipeline.run(messages$, (error) => {
    throw error;
  });
  const send = (topic: string): void =>
    messages$.next({ topic, payload: Buffer.alloc(0), retained: false, ack: () => events.push(`ack ${topic}`), release: () => events.push(`release ${topic}`) });
  /** m1 and m2, both handled (their routes queued, not yet acknowledged). */
  const sendTwo = async (): Promise<void> => {
    send('m1');
    send('m2');
    await waitFor(() => publishes.length === 2, { what: 'both messages handled' });
  };
  return { pipeline, events, publishes, send, sendTwo, subscription };
}

describe('router message pipeline', () => {
  it('handles the next message while the broker has not acknowledged the routes of the previous one', async () => {
    const { events, publishes, sendTwo, subscription } = harness();
    await sendTwo();
    expect(events).to.deep.equal(['handle m1', 'publish routes of m1', 'handle m2', 'publish routes of m2']);
    subscription.unsubscribe();
  });

  it('acknowledges in arrival order, each only once the broker acknowledged its routes', async () => {
    const { events, publishes, sendTwo, pipeline } = harness();
    await sendTwo();
    publishes[1]!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.filter((e) => e.startsWith('ack'))).to.deep.equal([]);
    publishes[0]!.resolve();
    await pipeline.settled();
    expect(events.filter((e) => e.startsWith('ack'))).to.deep.equal(['ack m1', 'ack m2']);
  });

  it('publishes failed routes again, then those of every later message, without handling any message twice', async () => {
    const { events, publishes, sendTwo, pipeline } = harness();
    await sendTwo();
    publishes[1]!.resolve();
    publishes[0]!.reject(new Error('not acknowledged in time'));
    await waitFor(() => publishes.length === 4, { what: 'the republishing' });
    // m2's routes went out after m1's first copy: m1's second copy must be followed by m2's again.
    expect(publishes.slice(2).map((p) => p.names[0])).to.deep.equal(['routes of m1', 'routes of m2']);
    for (const p of publishes.slice(2)) p.resolve();
    await pipeline.settled();
    expect(events.filter((e) => e.startsWith('handle'))).to.deep.equal(['handle m1', 'handle m2']);
    expect(events.filter((e) => e.startsWith('ack'))).to.deep.equal(['ack m1', 'ack m2']);
  });

  it('retries a message the store refuses before it takes the next, and sets it aside after the last attempt', async () => {
    const handled: string[] = [];
    const { events, publishes, send, pipeline } = harness({
      handle: async (inbound) => {
        handled.push(inbound.topic);
        if (inbound.topic === 'm1') throw new Error('store unavailable');
        return [];
      },
    });
    send('m1');
    send('m2');
    await waitFor(() => publishes.length === 1, { what: 'm2 handled' });
    publishes[0]!.resolve();
    await pipeline.settled();
    expect(handled).to.deep.equal(['m1', 'm1', 'm1', 'm2']);
    expect(events.filter((e) => !e.startsWith('publish'))).to.deep.equal([
      'handle of m1 failed (attempt 1)',
      'handle of m1 failed (attempt 2)',
      'handle of m1 failed (attempt 3, set aside)',
      'ack m1',
      'ack m2',
    ]);
  });
});
