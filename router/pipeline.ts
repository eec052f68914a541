// The router's message stream in two stages, so that it handles the next
// message while the broker forwards the routes of the previous ones:
//
// 1. Handle: one message at a time, in arrival order, handle it (the store
//    commits) and queue its publications. A failure that is not the input's
//    (the store) is retried with backoff before the next message is taken,
//    so the store sees the messages in their order.
// 2. Settle: in the same order, acknowledge each message once the broker
//    acknowledged every publication it caused (a crash in between redelivers
//    it). When they fail, they are published again, and so is everything
//    handled after them, so that the last copy of a route each worker gets
//    is still the newest; the message is never handled twice (a Register
//    handled again would be a re-registration: DELETE then ADD to peers), and
//    a republished re-registration sends only the ADD (a resent DELETE would
//    remove the route the worker may already hold from the first attempt).
//
// A message failing a bounded number of times in either stage is set aside
// (`onFailure` logs and counts it) and acknowledged, and the next one goes
// on: anti-entropy repairs whatever it would have changed. How far stage 1
// runs ahead is bounded by the transport's window (router/transport.ts).
import { concatMap, filter, type Observable, type Subscription } from 'rxjs';
import { backoffDelay } from '../lib/backoff.js';
import type { Publication } from './core.js';
import { finalStates } from './republish.js';
import type { InboundMessage } from './transport.js';

export interface PipelineOptions {
  /** Handles a message: store commit and the publications it causes. */
  handle(inbound: InboundMessage): Promise<Publication[]>;
  /** Publishes; resolves once the broker acknowledged every publication, rejects on failure or timeout. */
  publish(publications: Publication[]): Promise<unknown>;
  /** Serialises handling and queueing publications with the other publishers (anti-entropy), see router/service.ts. */
  inTurn<T>(work: () => Promise<T>): Promise<T>;
  maxAttempts: number;
  /** First retry delay; doubles per attempt. */
  retryInitialMs: number;
  stopping(): boolean;
  /** A stage failed for `inbound`: it is retried after `retryInMs`, or (undefined) set aside. */
  onFailure(stage: 'handle' | 'publish', inbound: InboundMessage, attempt: number, error: unknown, retryInMs: number | undefined): void;
  /** A stage succeeded (a failing one has recovered). */
  onSuccess(stage: 'handle' | 'publish'): void;
}

/** A handled message whose publications the broker has yet to acknowledge. */
interface InFlight {
  inbound: InboundMessage;
  publications: Publication[];
  /** Settles with the publish error, if any (never rejects: a replaced attempt must not be an unhandled rejection). */
  acknowledged: Promise<{ error: unknown } | undefined>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class MessagePipeline {
  /** Handled and not yet settled, in handling order. */
  private readonly inFlight: InFlight[] = [];
  /** Messages taken and neither acknowledged nor released. */
  private open = 0;
  private readonly drained: Array<() => void> = [];

  constructor(private readonly options: PipelineOptions) {}

  /** Runs every message of `messages$` through both stages; errors of the stream go to `onError`. */
  run(messages$: Observable<InboundMessage>, onError: (error: unknown) => void): Subscription {
    return messages$
      .pipe(
        concatMap((inbound) => this.handle(this.track(inbound))),
        filter((entry): entry is InFlight => entry !== undefined),
        concatMap((entry) => this.settle(entry)),
      )
      .subscribe({ error: onError });
  }

  /** Resolves once every message taken so far is acknowledged or released. */
  settled(): Promise<void> {
    return this.open === 0 ? Promise.resolve() : new Promise((resolve) => this.drained.push(resolve));
  }

  private track(inbound: InboundMessage): InboundMessage {
    this.open += 1;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      if (--this.open === 0) for (const resolve of this.drained.splice(0)) resolve();
    };
    return {
      ...inbound,
      ack: () => {
        inbound.ack();
        finish();
      },
      release: () => {
        inbound.release();
        finish();
      },
    };
  }

  /** Publishes an entry's routes; again (a retry), only each route's final state (router/republish.ts). */
  private publish(entry: InFlight, again = false): void {
    entry.acknowledged = this.options.publish(again ? finalStates(entry.publications) : entry.publications).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
  }

  /** Stage 1: handle with bounded retries; undefined when the message is already settled. */
  private async handle(inbound: InboundMessage): Promise<InFlight | undefined> {
    const { options } = this;
    for (let attempt = 1; ; attempt++) {
      if (options.stopping()) return void inbound.release();
      try {
        const entry = await options.inTurn(async () => {
          const handled: InFlight = { inbound, publications: await options.handle(inbound), acknowledged: Promise.resolve(undefined) };
          this.publish(handled);
          this.inFlight.push(handled);
          return handled;
        });
        options.onSuccess('handle');
        return entry;
      } catch (error) {
        if (options.stopping()) return void inbound.release();
        if (!(await this.retryAfter('handle', inbound, attempt, error))) return void inbound.ack();
      }
    }
  }

  /** Stage 2: acknowledge once the broker acknowledged the publications, republishing on failure. */
  private async settle(entry: InFlight): Promise<void> {
    const { options } = this;
    for (let attempt = 1; ; attempt++) {
      const failed = await entry.acknowledged;
      if (failed === undefined) {
        options.onSuccess('publish');
        break;
      }
      if (options.stopping()) return this.done(entry, false);
      if (!(await this.retryAfter('publish', entry.inbound, attempt, failed.error))) break;
      if (options.stopping()) return this.done(entry, false);
      await options.inTurn(async () => {
        for (const later of this.inFlight.slice(this.inFlight.indexOf(entry))) this.publish(later, true);
      });
    }
    this.done(entry, true);
  }

  private done(entry: InFlight, acknowledge: boolean): void {
    this.inFlight.splice(this.inFlight.indexOf(entry), 1);
    if (acknowledge) entry.inbound.ack();
    else entry.inbound.release();
  }

  /** Reports a failure and waits out its backoff; false when the message is to be set aside. */
  private async retryAfter(stage: 'handle' | 'publish', inbound: InboundMessage, attempt: number, error: unknown): Promise<boolean> {
    if (attempt >= this.options.maxAttempts) {
      this.options.onFailure(stage, inbound, attempt, error, undefined);
      return false;
    }
    const delay = backoffDelay(attempt, { initialMs: this.options.retryInitialMs, maxMs: 10_000 });
    this.options.onFailure(stage, inbound, attempt, error, delay);
    await sleep(delay);
    return true;
  }
}
