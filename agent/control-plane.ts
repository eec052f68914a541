// The agent's side of MQTT (SPEC §8): announces registrations (one
// register/deregister Envelope per network) on the send topic, takes route
// ADD/DELETE from the receive topic into the route store, and resynchronises
// with the router on every (re)connect: a Resync request, then every route
// the router holds for this worker, then ResyncComplete. Until that arrives
// nothing the kernel has is removed, so outages and restarts never flap the
// data path. Bad input is logged, counted and skipped, message by message.
import { randomUUID } from 'node:crypto';
import { type Subscription, filter, skip } from 'rxjs';
import { backoffDelay } from '../lib/backoff.js';
import type { Logger } from '../lib/log.js';
import type { MqttConnection } from '../lib/mqtt.js';
import type { Srv6Net } from '../lib/sid.js';
import { type Message, WireFormatError, decodeMessage, encodeMessage } from '../proto/remote.js';
import type { Registration, RouterRoute } from './plan.js';
import type { RegistrationStore, RouteStore } from './registrations.js';
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
}

export class ControlPlane {
  private readonly subscriptions: Subscription[] = [];
  private connectedOnce = false;
  /** Withdrawals decided before the first connection (stale registrations at start). */
  private readonly pendingWithdrawals: Registration[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private resyncAttempts = 0;
  private closed = false;

  constructor(private readonly options: ControlPlaneOptions) {}

  start(): void {
    const { connection } = this.options;
    this.subscriptions.push(
      connection.connected$.pipe(filter((up) => up)).subscribe(() => void this.onConnected()),
      connection.connected$.pipe(skip(1), filter((up) => !up)).subscribe(() => this.clearResyncTimer()),
      connection.messages$.subscribe((message) => {
        if (message.topic === this.options.receiveTopic) this.handle(message.payload);
      }),
    );
  }

  stop(): void {
    this.closed = true;
    this.clearResyncTimer();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  /** Publishes `register` for these networks of a registration (after the first connection; queued while offline). */
  announce(registration: Registration, networks: string[] = registration.networks): void {
    if (!this.connectedOnce) return; // the first connection announces every registration
    for (const network of networks) this.publish({ kind: 'register', network, srv6Endpoint: registration.sid });
  }

  /** Publishes `deregister` for these networks of a registration. */
  withdraw(registration: Registration, networks: string[] = registration.networks): void {
    if (!this.connectedOnce) {
      this.pendingWithdrawals.push({ ...registration, networks });
      return;
    }
    for (const network of networks) this.publish({ kind: 'deregister', network, srv6Endpoint: registration.sid });
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
    }
    if (!this.connectedOnce) {
      this.connectedOnce = true;
      for (const registration of this.pendingWithdrawals.splice(0)) this.withdraw(registration);
      const registrations = this.options.registrations.all();
      for (const registration of registrations) this.announce(registration);
      logger.info('announced registrations', { registrations: registrations.length });
    }
    this.resyncAttempts = 0;
    this.requestResync();
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
      default:
        return this.reject('unexpected-kind', `a ${message.kind} message on the receive topic`);
    }
  }
}
