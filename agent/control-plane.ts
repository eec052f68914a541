// The agent's side of MQTT (SPEC §8): announces registrations (one
// register/deregister Envelope per network) on the send topic as the fast
// path, takes route ADD/DELETE from the receive topic into the route store,
// and converges with the router by anti-entropy (agent/anti-entropy.ts): after
// every (re)connect, when the router asks, and periodically, a Summary of what
// it holds; the router answers and repairs with full sets. Until the router
// has confirmed or replaced the route set nothing the kernel has is removed,
// so outages and restarts never flap the data path. A router that never
// answers a Summary is an original one: the agent then falls back to
// announcing everything and the Resync/ResyncComplete exchange. Bad input is
// logged, counted and skipped, message by message.
import { randomUUID } from 'node:crypto';
import { Subject, type Subscription, filter, skip } from 'rxjs';
import { backoffDelay } from '../lib/backoff.js';
import type { Logger } from '../lib/log.js';
import type { MqttConnection } from '../lib/mqtt.js';
import type { Srv6Net } from '../lib/sid.js';
import { type Message, WireFormatError, decodeMessage, encodeMessage } from '../proto/remote.js';
import { ReplyWaiters, RequestIds, RouteSetReceiver, antiEntropyLoop } from './anti-entropy.js';
import type { Registration, RouterRoute } from './plan.js';
import type { RegistrationStore, RouteStore } from './registrations.js';
import { AnnouncementSequence, type SequenceSource } from './sequence.js';
import { type RejectReason, RejectedMessage, parseRouteMessage } from './route-validation.js';

export { type RejectReason, RejectedMessage, parseRouteMessage };

/** `galactic/<worker>/send` ⇒ `<worker>`. */
export function workerName(sendTopic: string): string {
  return /^galactic\/([^/]+)\/send$/.exec(sendTopic)?.[1] ?? sendTopic;
}

export interface ControlPlaneOptions {
  connection: MqttConnection;
  sendTopic: string;
  receiveTopic: string;
  srv6Net: Srv6Net;
  registrations: RegistrationStore;
  routes: RouteStore;
  logger: Logger;
  /** Called for every rejected message. */
  onReject?: (reason: RejectReason) => void;
  /** A resync not answered in this time is asked again (old routers ignore it: routes are then kept). Default 30 s. */
  resyncTimeoutMs?: number;
  /** Anti-entropy Summary every this often (default 30 s). */
  antiEntropyIntervalMs?: number;
  /** How long a Summary waits for its reply (default 5 s). */
  summaryTimeoutMs?: number;
  /** Stamps register, deregister and registration_set (agent/sequence.ts); default: ordered by the clock across restarts, no file. */
  sequence?: SequenceSource;
}

/** Unanswered Summaries, with no reply ever seen, after which the router is taken for an original one. */
const LEGACY_AFTER_TIMEOUTS = 3;

export class ControlPlane {
  private readonly subscriptions: Subscription[] = [];
  private connectedOnce = false;
  /** Withdrawals decided before the first connection (stale registrations at start). */
  private readonly pendingWithdrawals: Registration[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private resyncAttempts = 0;
  private closed = false;
  /** Subscribed to the receive topic on the current connection. */
  private subscribed = false;
  private readonly ids = new RequestIds();
  private readonly replies = new ReplyWaiters();
  private readonly routeSets: RouteSetReceiver;
  private readonly sequence: SequenceSource;
  /** Subscribed and SummaryRequest: run an anti-entropy pass now. */
  private readonly passNow$ = new Subject<void>();
  /** The router answered a Summary at least once (it speaks anti-entropy). */
  private routerAnswers = false;
  private unansweredSummaries = 0;
  /** Original-router mode: announce everything and Resync on every connect. */
  private legacy = false;
  /**
   * After a reconnect, route messages are ignored until the router answers a
   * Summary sent on the new connection (the first sequence it may answer).
   * The broker resends, first, the messages it delivered before the drop but
   * never saw acknowledged: a DELETE lost on the way comes back after the ADD
   * that followed it and would remove a route that must stay. The answer
   * states the whole set (a match confirms what is held, a difference brings
   * a RouteSet), and every route message sent after it follows it in order.
   */
  private routesIgnoredBefore: number | undefined;

  constructor(private readonly options: ControlPlaneOptions) {
    this.sequence = options.sequence ?? new AnnouncementSequence();
    this.routeSets = new RouteSetReceiver(
      this.ids,
      options.routes,
      (route) => {
        try {
          return parseRouteMessage({ kind: 'route', ...route, status: 'ADD' }, options.srv6Net);
        } catch (error) {
          if (!(error instanceof RejectedMessage)) throw error;
          this.reject(error.reason, error.message);
          return undefined;
        }
      },
      options.logger,
    );
  }

  start(): void {
    const { connection } = this.options;
    this.subscriptions.push(
      connection.connected$.pipe(filter((up) => up)).subscribe(() => void this.onConnected()),
      connection.connected$.pipe(skip(1), filter((up) => !up)).subscribe(() => {
        this.subscribed = false;
        this.clearResyncTimer();
        this.routeSets.ignoreBefore(this.ids.last + 1);
        // An original router never answers: its route messages are all there is.
        if (this.routerAnswers && !this.legacy) this.routesIgnoredBefore = this.ids.last + 1;
      }),
      connection.messages$.subscribe((message) => {
        if (message.topic === this.options.receiveTopic) this.handle(message.payload);
      }),
      antiEntropyLoop({
        registrations: this.options.registrations,
        routes: this.options.routes,
        ids: this.ids,
        sequence: this.sequence,
        routeSets: this.routeSets,
        publish: (message) => this.options.connection.publish(this.options.sendTopic, encodeMessage(message)),
        awaitReply: (requestId, timeoutMs) => this.replies.wait(requestId, timeoutMs),
        ready: () => this.subscribed && !this.closed,
        triggers$: this.passNow$,
        ...(this.options.antiEntropyIntervalMs !== undefined ? { intervalMs: this.options.antiEntropyIntervalMs } : {}),
        ...(this.options.summaryTimeoutMs !== undefined ? { summaryTimeoutMs: this.options.summaryTimeoutMs } : {}),
        logger: this.options.logger,
      }).subscribe((pass) => {
        if (pass.ok || !this.subscribed || this.routerAnswers || this.legacy) return;
        this.unansweredSummaries += 1;
        if (this.unansweredSummaries >= LEGACY_AFTER_TIMEOUTS) this.enterLegacy();
      }),
    );
  }

  stop(): void {
    this.closed = true;
    this.clearResyncTimer();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  /** The router never answered a Summary: it is an original one; announce everything and resync as it expects. */
  private enterLegacy(): void {
    this.legacy = true;
    const registrations = this.options.registrations.all();
    this.options.logger.warn('the router does not answer anti-entropy summaries; announcing every registration and asking for a resync', {
      registrations: registrations.length,
    });
    for (const registration of registrations) this.announce(registration);
    this.resyncAttempts = 0;
    this.requestResync();
  }

  /** Publishes `register` for these networks of a registration (after the first connection; queued while offline). */
  announce(registration: Registration, networks: string[] = registration.networks): void {
    if (!this.connectedOnce) return; // the first connection announces every registration
    for (const network of networks) this.publish({ kind: 'register', network, srv6Endpoint: registration.sid, sequence: this.sequence.next() });
  }

  /** Publishes `deregister` for these networks of a registration. */
  withdraw(registration: Registration, networks: string[] = registration.networks): void {
    if (!this.connectedOnce) {
      this.pendingWithdrawals.push({ ...registration, networks });
      return;
    }
    for (const network of networks) this.publish({ kind: 'deregister', network, srv6Endpoint: registration.sid, sequence: this.sequence.next() });
  }

  private publish(message: Message): void {
    this.options.connection.publish(this.options.sendTopic, encodeMessage(message)).catch((error: unknown) => {
      if (!this.closed) this.options.logger.warn('publish failed', { kind: message.kind, error });
    });
  }

  private async onConnected(): Promise<void> {
    const { connection, receiveTopic, logger } = this.options;
    try {
      await connection.subscribe(receiveTopic);
    } catch (error) {
      logger.error('cannot subscribe to the receive topic; routes from the router will not arrive', { topic: receiveTopic, error });
      return;
    }
    if (!this.connectedOnce) {
      this.connectedOnce = true;
      for (const registration of this.pendingWithdrawals.splice(0)) this.withdraw(registration);
    }
    this.subscribed = true;
    if (this.legacy) {
      this.resyncAttempts = 0;
      this.requestResync();
    }
    // Anti-entropy tells the router what this agent holds (registrations included).
    this.passNow$.next();
  }

  /** Asks the router for every route of this worker; kernel routes stay until it completes. */
  private requestResync(): void {
    if (this.closed) return;
    this.clearResyncTimer();
    const requestId = randomUUID();
    this.options.routes.beginResync(requestId);
    this.options.logger.info('resync requested', { requestId });
    this.publish({ kind: 'resync', requestId });
    this.resyncAttempts++;
    const initialMs = this.options.resyncTimeoutMs ?? 30_000;
    const timeout = backoffDelay(this.resyncAttempts, { initialMs, maxMs: 10 * initialMs });
    this.resyncTimer = setTimeout(() => {
      this.options.logger.warn('no resyncComplete from the router; keeping routes and asking again', { requestId, afterMs: timeout });
      this.requestResync();
    }, timeout);
    this.resyncTimer.unref();
  }

  private clearResyncTimer(): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
  }

  private reject(reason: RejectReason, detail: string): void {
    this.options.logger.warn('rejected message from the router', { reason, detail });
    this.options.onReject?.(reason);
  }

  /** One message from the receive topic. */
  handle(payload: Uint8Array): void {
    let message: Message;
    try {
      message = decodeMessage(payload);
    } catch (error) {
      if (error instanceof WireFormatError) return this.reject('undecodable', error.message);
      throw error;
    }
    switch (message.kind) {
      case 'route': {
        if (this.routesIgnoredBefore !== undefined) {
          this.options.logger.debug('route before the first summary reply since the reconnect ignored', { status: message.status, network: message.network });
          return;
        }
        let route: RouterRoute;
        try {
          route = parseRouteMessage(message, this.options.srv6Net);
        } catch (error) {
          if (error instanceof RejectedMessage) return this.reject(error.reason, error.message);
          throw error;
        }
        if (message.status === 'ADD') this.options.routes.add(route);
        else this.options.routes.delete(route.endpoint, route.network);
        this.options.logger.debug('route', { status: message.status, network: route.network, endpoint: route.endpoint, segments: route.segments });
        return;
      }
      case 'resyncComplete': {
        const received = this.options.routes.resyncReceived(message.requestId);
        if (received !== undefined && received < message.routes) {
          // Some of the answer was lost (e.g. around a broker restart): completing
          // now would remove routes that are still right, so keep them and ask again.
          this.options.logger.warn('resync answer incomplete; keeping routes and asking again', { requestId: message.requestId, routerSent: message.routes, received });
          this.requestResync();
          return;
        }
        if (this.options.routes.completeResync(message.requestId)) {
          this.clearResyncTimer();
          this.options.logger.info('resync complete', { requestId: message.requestId, routerSent: message.routes, routes: this.options.routes.size });
        } else {
          this.options.logger.debug('resyncComplete for another request ignored', { requestId: message.requestId });
        }
        return;
      }
      case 'summaryReply':
        if (!this.routerAnswers) this.options.logger.info('the router speaks anti-entropy');
        this.routerAnswers = true;
        this.legacy = false;
        if ((this.ids.sequenceOf(message.requestId) ?? 0) >= (this.routesIgnoredBefore ?? Infinity)) this.routesIgnoredBefore = undefined;
        // Before the reply is handled: a registration set it brings must be numbered above the router's mark.
        if (message.appliedSequence !== undefined) this.sequence.continueAbove(message.appliedSequence);
        if (!this.replies.deliver(message)) this.options.logger.debug('late summary reply ignored', { requestId: message.requestId });
        return;
      case 'routeSet':
        this.routeSets.receive(message);
        return;
      case 'summaryRequest':
        this.options.logger.info('the router asks for a summary');
        this.passNow$.next();
        return;
      default:
        return this.reject('unexpected-kind', `a ${message.kind} message on the receive topic`);
    }
  }
}
