// The agent's side of anti-entropy (proto/remote.proto): a lib/reconcile loop
// whose desired state is the local registrations (and the routes the router
// wants here) and whose observation is the router's SummaryReply to a Summary
// this agent sends. A differing registration summary is repaired by sending
// the full RegistrationSet; a differing route summary by the RouteSet the
// router sends with its reply, which `RouteSetReceiver` turns into a
// replacement of the route store. The next pass verifies. Passes run after
// every (re)connect, when the router asks (SummaryRequest), when
// registrations change, and every interval.
import { randomUUID } from 'node:crypto';
import { BehaviorSubject, type Observable, filter, firstValueFrom, throttleTime } from 'rxjs';
import { registrationLine, routeLine, SetAssembler, sameSummary, splitSet, summarise } from '../lib/anti-entropy.js';
import type { Logger } from '../lib/log.js';
import { withTimeout } from '../lib/wait.js';
import { type PassResult, reconcile } from '../lib/reconcile.js';
import type { Message, SetRoute, SetSummary } from '../proto/remote.js';
import type { Registration, RouterRoute } from './plan.js';
import type { RegistrationStore, RouteStore } from './registrations.js';
import type { SequenceSource } from './sequence.js';

export const DEFAULT_ANTI_ENTROPY_INTERVAL_MS = 30_000;
/** How long a Summary waits for the router's SummaryReply. */
export const DEFAULT_SUMMARY_TIMEOUT_MS = 5_000;

export type SummaryReply = Extract<Message, { kind: 'summaryReply' }>;

export const registrationsSummary = (registrations: Iterable<Registration>): SetSummary =>
  summarise([...registrations].flatMap((r) => r.networks.map((network) => registrationLine({ network, srv6Endpoint: r.sid }))));

export const routesSummary = (routes: Iterable<RouterRoute>): SetSummary =>
  summarise([...routes].map((r) => routeLine({ network: r.network, srv6Endpoint: r.endpoint, srv6Segments: r.segments })));

/** The RegistrationSet parts announcing every registration, each stamped with the set's one announcement sequence. */
export function registrationSet(registrations: Iterable<Registration>, setId: string, sequence: number): Message[] {
  const items = [...registrations].flatMap((r) => r.networks.map((network) => ({ network, srv6Endpoint: r.sid })));
  const parts = splitSet(items);
  return parts.map((part, index) => ({ kind: 'registrationSet', setId, part: index, parts: parts.length, registrations: part, sequence }));
}

/** Request ids "<boot id>:<sequence>": increasing within one agent process, unique across restarts. */
export class RequestIds {
  private readonly boot = randomUUID();
  private sequence = 0;

  next(): string {
    this.sequence += 1;
    return `${this.boot}:${this.sequence}`;
  }

  /** The sequence of the last id handed out (0 before the first). */
  get last(): number {
    return this.sequence;
  }

  /** The sequence of one of our ids; undefined for another process's (or a hostile) id. */
  sequenceOf(requestId: string): number | undefined {
    const [boot, sequence] = requestId.split(':');
    return boot === this.boot && sequence !== undefined && /^\d+$/.test(sequence) ? Number(sequence) : undefined;
  }
}

/**
 * Assembles RouteSets and applies a complete one as a replacement of the
 * route store, only if it answers a Summary newer than the last set applied:
 * a delayed, duplicated or replayed set is ignored, never undoing newer state.
 */
export class RouteSetReceiver {
  private readonly assembler = new SetAssembler<SetRoute>();
  /** Sequence of the request the last applied set answered. */
  readonly applied$ = new BehaviorSubject(0);
  /** Sets answering requests below this are ignored (sent before the last reconnect). */
  private floor = 0;

  constructor(
    private readonly ids: RequestIds,
    private readonly routes: RouteStore,
    /** Validates one route of the set; undefined (after reporting why) drops it. */
    private readonly parse: (route: SetRoute) => RouterRoute | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * Ignores sets answering requests before `sequence` from now on. Called at a
   * disconnect: the broker may resend parts of an older set after the
   * reconnect, behind route messages that were newer than it.
   */
  ignoreBefore(sequence: number): void {
    this.floor = Math.max(this.floor, sequence);
  }

  /** One RouteSet part; true when it completed a set that was applied. */
  receive(set: Extract<Message, { kind: 'routeSet' }>): boolean {
    const sequence = this.ids.sequenceOf(set.requestId);
    if (sequence === undefined || sequence <= this.applied$.value || sequence < this.floor) {
      this.log.debug('stale route set ignored', { requestId: set.requestId, part: set.part });
      return false;
    }
    const complete = this.assembler.add('routes', set.requestId, set.part, set.parts, set.routes);
    if (!complete) return false;
    const routes = complete.map(this.parse).filter((r): r is RouterRoute => r !== undefined);
    this.routes.replace(routes);
    this.applied$.next(sequence);
    this.log.info('anti-entropy route set applied', { requestId: set.requestId, routes: routes.length, parts: set.parts });
    return true;
  }
}

export type AntiEntropyAction = 'send-registration-set' | 'await-route-set';

export interface AntiEntropyLoopOptions {
  registrations: RegistrationStore;
  routes: RouteStore;
  ids: RequestIds;
  /** Orders the registration sets with the register and deregister messages (agent/sequence.ts). */
  sequence: SequenceSource;
  routeSets: RouteSetReceiver;
  /** Publishes to the send topic; rejects if the message could not be queued. */
  publish: (message: Message) => Promise<void>;
  /** Resolves with the SummaryReply to `requestId`, or rejects after the timeout. */
  awaitReply: (requestId: string, timeoutMs: number) => Promise<SummaryReply>;
  /** Connected, subscribed, and a Summary may go out. */
  ready: () => boolean;
  /** Reconnects and SummaryRequests: pass now. */
  triggers$: Observable<unknown>;
  intervalMs?: number;
  summaryTimeoutMs?: number;
  logger: Logger;
}

/**
 * The anti-entropy loop (lib/reconcile). Desired: the router holds this
 * agent's registrations, and this agent holds the routes the router wants it
 * to. Observed: the router's SummaryReply to a fresh Summary. Diff: send the
 * full RegistrationSet when the registration summaries differ; wait for the
 * RouteSet the router sends when the route summaries differ (a set lost on the
 * way fails the pass, and the retry asks again). A route summary that matches
 * confirms the route store (the initial keep-everything state ends).
 */
export function antiEntropyLoop(options: AntiEntropyLoopOptions): Observable<PassResult<AntiEntropyAction>> {
  const { registrations, routes, ids, logger } = options;
  const timeoutMs = options.summaryTimeoutMs ?? DEFAULT_SUMMARY_TIMEOUT_MS;
  return reconcile<unknown, SummaryReply, AntiEntropyAction>({
    name: 'anti-entropy',
    // A burst of CNI registrations is one pass, not one Summary each.
    desired$: registrations.registrations$.pipe(throttleTime(1000, undefined, { leading: true, trailing: true })),
    observe: async () => {
      if (!options.ready()) throw new Error('not connected to the broker');
      const requestId = ids.next();
      // The reply is what counts, not the publish's acknowledgement (which a
      // lossy path may never bring, and which the reply may overtake).
      const reply = options.awaitReply(requestId, timeoutMs);
      options
        .publish({ kind: 'summary', requestId, registrations: registrationsSummary(registrations.all()), routes: routesSummary(routes.view().values()) })
        .catch((error: unknown) => logger.debug('summary publish failed', { requestId, error }));
      const answer = await reply;
      if (sameSummary(answer.routes, routesSummary(routes.view().values()))) routes.confirm();
      return answer;
    },
    // The throttled stream only paces passes: diff and apply read the current
    // registrations, so a set sent never lags a register or deregister
    // announced after the stream's last value (the router would undo it).
    diff: (_desired, reply) => {
      const actions: AntiEntropyAction[] = [];
      if (!sameSummary(registrationsSummary(registrations.all()), reply.registrations)) actions.push('send-registration-set');
      const answered = ids.sequenceOf(reply.requestId) ?? Infinity;
      if (!sameSummary(routesSummary(routes.view().values()), reply.routes) && options.routeSets.applied$.value < answered) actions.push('await-route-set');
      return actions;
    },
    apply: async (actions, _desired, reply) => {
      if (actions.includes('send-registration-set')) {
        const current = registrations.all();
        logger.info('router holds other registrations; sending the full set', { routerCount: reply.registrations.count, count: registrationsSummary(current).count });
        const parts = registrationSet(current, randomUUID(), options.sequence.next());
        await withTimeout(Promise.all(parts.map((part) => options.publish(part))), timeoutMs, `the broker to acknowledge ${parts.length} registration set parts`);
      }
      if (actions.includes('await-route-set')) {
        const answered = ids.sequenceOf(reply.requestId) ?? Infinity;
        await withTimeout(firstValueFrom(options.routeSets.applied$.pipe(filter((applied) => applied >= answered))), timeoutMs, 'the route set from the router');
      }
    },
    triggers$: options.triggers$,
    resyncIntervalMs: options.intervalMs ?? DEFAULT_ANTI_ENTROPY_INTERVAL_MS,
    backoff: { initialMs: 1000, maxMs: options.intervalMs ?? DEFAULT_ANTI_ENTROPY_INTERVAL_MS },
    logger,
  });
}

/** Pending SummaryReplies by request id. */
export class ReplyWaiters {
  private readonly waiting = new Map<string, (reply: SummaryReply) => void>();

  wait(requestId: string, timeoutMs: number): Promise<SummaryReply> {
    return new Promise<SummaryReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`no summary reply from the router within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.waiting.set(requestId, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        resolve(reply);
      });
    });
  }

  /** A SummaryReply arrived; false if nobody waits for it (late or replayed). */
  deliver(reply: SummaryReply): boolean {
    const waiter = this.waiting.get(reply.requestId);
    waiter?.(reply);
    return waiter !== undefined;
  }
}
