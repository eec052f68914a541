// The agent's side of anti-entropy (proto/remote.proto): a lib/reconcile loop
// whose desired state is the local registrations and whose observation is the
// router's SummaryReply to a Summary this agent sends. A differing
// registration summary is repaired by sending the full RegistrationSet; the
// next pass verifies it. Passes run after every (re)connect, when the router
// asks (SummaryRequest), when registrations change, and every interval.
// Route repair is the router's move: it answers a Summary whose route digest
// differs with a RouteSet, which `RouteSetReceiver` turns into a replacement
// of the route store.
import { randomUUID } from 'node:crypto';
import { type Observable, map, throttleTime } from 'rxjs';
import { registrationLine, routeLine, SetAssembler, sameSummary, splitSet, summarise } from '../lib/anti-entropy.js';
import type { Logger } from '../lib/log.js';
import { withTimeout } from '../lib/wait.js';
import { type PassResult, reconcile } from '../lib/reconcile.js';
import type { Message, SetRoute, SetSummary } from '../proto/remote.js';
import type { Registration, RouterRoute } from './plan.js';
import type { RegistrationStore, RouteStore } from './registrations.js';

export const DEFAULT_ANTI_ENTROPY_INTERVAL_MS = 30_000;
/** How long a Summary waits for the router's SummaryReply. */
export const DEFAULT_SUMMARY_TIMEOUT_MS = 5_000;

export type SummaryReply = Extract<Message, { kind: 'summaryReply' }>;

export const registrationsSummary = (registrations: Iterable<Registration>): SetSummary =>
  summarise([...registrations].flatMap((r) => r.networks.map((network) => registrationLine({ network, srv6Endpoint: r.sid }))));

export const routesSummary = (routes: Iterable<RouterRoute>): SetSummary =>
  summarise([...routes].map((r) => routeLine({ network: r.network, srv6Endpoint: r.endpoint, srv6Segments: r.segments })));

/** The RegistrationSet parts announcing every registration. */
export function registrationSet(registrations: Iterable<Registration>, setId: string): Message[] {
  const items = [...registrations].flatMap((r) => r.networks.map((network) => ({ network, srv6Endpoint: r.sid })));
  const parts = splitSet(items);
  return parts.map((part, index) => ({ kind: 'registrationSet', setId, part: index, parts: parts.length, registrations: part }));
}

/** Request ids "<boot id>:<sequence>": increasing within one agent process, unique across restarts. */
export class RequestIds {
  private readonly boot = randomUUID();
  private sequence = 0;

  next(): string {
    this.sequence += 1;
    return `${this.boot}:${this.sequence}`;
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
  private applied = 0;

  constructor(
    private readonly ids: RequestIds,
    private readonly routes: RouteStore,
    /** Validates one route of the set; undefined (after reporting why) drops it. */
    private readonly parse: (route: SetRoute) => RouterRoute | undefined,
    private readonly log: Logger,
  ) {}

  /** One RouteSet part; true when it completed a set that was applied. */
  receive(set: Extract<Message, { kind: 'routeSet' }>): boolean {
    const sequence = this.ids.sequenceOf(set.requestId);
    if (sequence === undefined || sequence <= this.applied) {
      this.log.debug('stale route set ignored', { requestId: set.requestId, part: set.part });
      return false;
    }
    const complete = this.assembler.add('routes', set.requestId, set.part, set.parts, set.routes);
    if (!complete) return false;
    this.applied = sequence;
    const routes = complete.map(this.parse).filter((r): r is RouterRoute => r !== undefined);
    this.routes.replace(routes);
    this.log.info('anti-entropy route set applied', { requestId: set.requestId, routes: routes.length, parts: set.parts });
    return true;
  }
}

export interface RegistrationLoopOptions {
  registrations: RegistrationStore;
  routes: RouteStore;
  ids: RequestIds;
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
 * The registrations loop (lib/reconcile): desired = local registrations,
 * observed = the router's SummaryReply, diff = one RegistrationSet when the
 * summaries differ. Each observation also tells whether the route store holds
 * what the router wants: if so it is confirmed (the initial keep-everything
 * state ends); if not, the router's RouteSet is on its way.
 */
export function registrationLoop(options: RegistrationLoopOptions): Observable<PassResult<'send-registration-set'>> {
  const { registrations, routes, ids, logger } = options;
  const timeoutMs = options.summaryTimeoutMs ?? DEFAULT_SUMMARY_TIMEOUT_MS;
  return reconcile<readonly Registration[], SummaryReply, 'send-registration-set'>({
    name: 'anti-entropy',
    // A burst of CNI registrations is one pass, not one Summary each.
    desired$: registrations.registrations$.pipe(
      throttleTime(1000, undefined, { leading: true, trailing: true }),
      map((all) => [...all.values()]),
    ),
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
    diff: (desired, reply) => (sameSummary(registrationsSummary(desired), reply.registrations) ? [] : ['send-registration-set']),
    apply: async (_actions, desired, reply) => {
      logger.info('router holds other registrations; sending the full set', { routerCount: reply.registrations.count, count: registrationsSummary(desired).count });
      const parts = registrationSet(desired, randomUUID());
      await withTimeout(Promise.all(parts.map((part) => options.publish(part))), timeoutMs, `the broker to acknowledge ${parts.length} registration set parts`);
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
