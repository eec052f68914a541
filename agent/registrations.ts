// The agent's desired state: local registrations (from the CNI plugin over
// gRPC) and routes (from the router over MQTT), as RxJS BehaviorSubjects
// feeding the reconcile loop. Registrations are also kept in a state file so
// a restarted agent can announce them again (the kernel does not record
// which networks an attachment registered).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { BehaviorSubject, type Observable, auditTime, combineLatest, map } from 'rxjs';
import { ATTACHMENT_ID_BITS, VPC_ID_BITS, formatHexIdentifier, isReservedIdentifier, parseHexIdentifier } from '../lib/identifiers.js';
import { isCidr } from '../lib/ip.js';
import { type Srv6Net, encodeSid } from '../lib/sid.js';
import type { Intent, Registration, RouterRoute } from './plan.js';
import { routerRouteKey } from './plan.js';
import { makePrivateDirectoryFor } from './private-dir.js';

export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
}

/** Validates a Register/Deregister request (hex ids, networks as address/prefix) into a Registration. */
export function parseAttachmentRequest(
  request: { vpc: string; vpcattachment: string; networks: string[] },
  net: Srv6Net,
): Registration {
  let vpc: bigint;
  let attachment: bigint;
  try {
    vpc = parseHexIdentifier(request.vpc ?? '', VPC_ID_BITS, 'vpc');
    attachment = parseHexIdentifier(request.vpcattachment ?? '', ATTACHMENT_ID_BITS, 'vpcattachment');
  } catch (error) {
    throw new InvalidRequestError((error as Error).message);
  }
  if (isReservedIdentifier(vpc, VPC_ID_BITS)) throw new InvalidRequestError(`vpc ${request.vpc} is reserved (0 and all-ones are never assigned)`);
  if (isReservedIdentifier(attachment, ATTACHMENT_ID_BITS)) {
    throw new InvalidRequestError(`vpcattachment ${request.vpcattachment} is reserved (0 and all-ones are never assigned)`);
  }
  const networks = [...(request.networks ?? [])];
  const invalid = networks.filter((n) => !isCidr(n));
  if (invalid.length > 0) throw new InvalidRequestError(`networks must be address/prefix-length: ${invalid.map((n) => JSON.stringify(n)).join(', ')}`);
  return { sid: encodeSid(net, { vpc, attachment }), vpc, attachment, networks: [...new Set(networks)] };
}

export class RegistrationStore {
  readonly registrations$ = new BehaviorSubject<ReadonlyMap<string, Registration>>(new Map());
  private changes = 0;

  get version(): number {
    return this.changes;
  }

  get(sid: string): Registration | undefined {
    return this.registrations$.value.get(sid);
  }

  all(): Registration[] {
    return [...this.registrations$.value.values()];
  }

  /** Adds or updates a registration; says which networks are new and which were dropped. */
  register(registration: Registration): { added: string[]; removed: string[] } {
    const previous = this.get(registration.sid);
    const before = new Set(previous?.networks ?? []);
    const after = new Set(registration.networks);
    this.update((next) => next.set(registration.sid, registration));
    return { added: registration.networks.filter((n) => !before.has(n)), removed: [...before].filter((n) => !after.has(n)) };
  }

  deregister(sid: string): Registration | undefined {
    const previous = this.get(sid);
    if (previous) this.update((next) => next.delete(sid));
    return previous;
  }

  private update(change: (next: Map<string, Registration>) => void): void {
    const next = new Map(this.registrations$.value);
    change(next);
    this.changes++;
    this.registrations$.next(next);
  }
}

/**
 * How long a route DELETE waits before it takes effect: an ADD of the same
 * route within it cancels it. A router answers an explicit re-registration
 * with DELETE then ADD (SPEC §9); the pair must never reach the kernel as a
 * removal, even when the two arrive in separate reads.
 */
export const DEFAULT_DELETE_GRACE_MS = 500;

/**
 * Routes from the router, keyed by (local SID, network). Starts "resyncing":
 * until the router has confirmed the full set (an anti-entropy summary that
 * matches, a RouteSet, or a legacy resyncComplete), owned egress routes
 * already in the kernel are kept, so a restart flaps nothing.
 */
export class RouteStore {
  private readonly routes = new Map<string, RouterRoute>();
  private readonly pendingDeletes = new Map<string, NodeJS.Timeout>();
  private resync: { id: string; received: Map<string, RouterRoute> } | undefined;
  /** Keys changed since takeChanges(), or 'all' after a wholesale change. */
  private changes: Set<string> | 'all' = 'all';
  readonly version$ = new BehaviorSubject(0);
  readonly resyncing$ = new BehaviorSubject(true);

  constructor(private readonly deleteGraceMs = DEFAULT_DELETE_GRACE_MS) {}

  /** A live read-only view (the reconcile pass reads it synchronously). */
  view(): ReadonlyMap<string, RouterRoute> {
    return this.routes;
  }

  get size(): number {
    return this.routes.size;
  }

  add(route: RouterRoute): void {
    const key = routerRouteKey(route.endpoint, route.network);
    this.cancelDelete(key);
    this.resync?.received.set(key, route);
    const current = this.routes.get(key);
    if (current && sameRoute(current, route)) return;
    this.routes.set(key, route);
    this.changed(key);
  }

  /** Removes a route after the delete grace, unless it is added again meanwhile. */
  delete(endpoint: string, network: string): void {
    const key = routerRouteKey(endpoint, network);
    this.resync?.received.delete(key);
    if (!this.routes.has(key) || this.pendingDeletes.has(key)) return;
    if (this.deleteGraceMs <= 0) return this.remove(key);
    const timer = setTimeout(() => {
      this.pendingDeletes.delete(key);
      this.remove(key);
    }, this.deleteGraceMs);
    timer.unref();
    this.pendingDeletes.set(key, timer);
  }

  /** Replaces every route by a complete set from the router (anti-entropy RouteSet). */
  replace(routes: Iterable<RouterRoute>): void {
    for (const key of [...this.pendingDeletes.keys()]) this.cancelDelete(key);
    this.resync = undefined;
    this.routes.clear();
    for (const route of routes) this.routes.set(routerRouteKey(route.endpoint, route.network), route);
    this.changed('all');
    if (this.resyncing$.value) this.resyncing$.next(false);
  }

  /** The router confirmed that the routes held are the full set (matching anti-entropy summary). */
  confirm(): void {
    if (this.resync) return; // a legacy resync under way decides
    if (this.resyncing$.value) this.resyncing$.next(false);
  }

  /** Stops pending delete timers (the agent is closing). */
  close(): void {
    for (const key of [...this.pendingDeletes.keys()]) this.cancelDelete(key);
  }

  private remove(key: string): void {
    this.routes.delete(key);
    this.changed(key);
  }

  private cancelDelete(key: string): void {
    const timer = this.pendingDeletes.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.pendingDeletes.delete(key);
  }

  /** From now on, collect what the router sends; the collection replaces the set at completion. */
  beginResync(requestId: string): void {
    this.resync = { id: requestId, received: new Map() };
    if (!this.resyncing$.value) this.resyncing$.next(true);
  }

  get pendingResync(): string | undefined {
    return this.resync?.id;
  }

  /** Routes received for the resynchronisation under way, if it is `requestId`. */
  resyncReceived(requestId: string): number | undefined {
    return this.resync?.id === requestId ? this.resync.received.size : undefined;
  }

  /** Ends the resynchronisation `requestId`; false if it is not the one under way. */
  completeResync(requestId: string): boolean {
    if (!this.resync || this.resync.id !== requestId) return false;
    this.replace(this.resync.received.values());
    return true;
  }

  /** The keys changed since the last call ('all': everything may have), for incremental planning. */
  takeChanges(): Set<string> | 'all' {
    const changes = this.changes;
    this.changes = new Set();
    return changes;
  }

  private changed(key: string | 'all'): void {
    if (key === 'all') this.changes = 'all';
    else if (this.changes !== 'all') this.changes.add(key);
    this.version$.next(this.version$.value + 1);
  }
}

const sameRoute = (a: RouterRoute, b: RouterRoute): boolean => a.family === b.family && a.segments.join(',') === b.segments.join(',');

/**
 * The reconcile loop's desired state. Changes arriving in one burst (one
 * MQTT read, a DELETE followed by an ADD of the same route) coalesce into one
 * intent, so they never reach the kernel as a remove-then-add flap.
 */
export function intent$(registrations: RegistrationStore, routes: RouteStore): Observable<Intent> {
  return combineLatest([registrations.registrations$, routes.version$, routes.resyncing$]).pipe(
    auditTime(0),
    map(([regs, routeVersion, resyncing]) => ({
      registrations: regs,
      registrationsVersion: registrations.version,
      routes: routes.view(),
      resyncing,
      version: registrations.version + routeVersion,
    })),
  );
}

export const currentVersion = (registrations: RegistrationStore, routes: RouteStore): number => registrations.version + routes.version$.value;

// ---------------------------------------------------------------------------
// State file: the registrations, so a restarted agent can re-announce them.

interface StoredRegistration {
  vpc: string;
  vpcattachment: string;
  networks: string[];
}

export async function saveRegistrations(path: string, registrations: Registration[]): Promise<void> {
  const stored: StoredRegistration[] = registrations.map((r) => ({
    vpc: formatHexIdentifier(r.vpc, VPC_ID_BITS),
    vpcattachment: formatHexIdentifier(r.attachment, ATTACHMENT_ID_BITS),
    networks: r.networks,
  }));
  await makePrivateDirectoryFor(path);
  // Replaced atomically but not fsynced (unlike the sequence file, which must survive a reboot): an agent
  // killed alone leaves the page cache behind, and after a reboot every pod's sandbox is created again by
  // CNI ADDs, so registrations from before it would be stale anyway.
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ registrations: stored }, null, 1)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/** Registrations from the state file; none if it does not exist. Invalid entries are reported, not fatal. */
export async function loadRegistrations(path: string, net: Srv6Net): Promise<{ registrations: Registration[]; invalid: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { registrations: [], invalid: [] };
    throw error;
  }
  const registrations: Registration[] = [];
  const invalid: string[] = [];
  let stored: StoredRegistration[] = [];
  try {
    stored = (JSON.parse(text) as { registrations?: StoredRegistration[] }).registrations ?? [];
  } catch (error) {
    invalid.push(`${path} is not JSON: ${(error as Error).message}`);
  }
  for (const entry of stored) {
    try {
      registrations.push(parseAttachmentRequest(entry, net));
    } catch (error) {
      invalid.push(`${JSON.stringify(entry)}: ${(error as Error).message}`);
    }
  }
  return { registrations, invalid };
}
