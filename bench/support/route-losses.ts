// bench/chaos.ts's judgement of a route removal (its header says what counts
// as a loss): pure, from the bench's record of (de)registrations and the
// router's log of what it applied, so it can be checked on its own.

/** When the router last brought a route to an agent: an ADD, or the route set answering `requestId`. */
export interface Confirmation {
  at: number;
  requestId?: string;
}

/** An attachment's (de)registrations after the start (every attachment is live at the start). */
export interface Churned {
  endpoint: string;
  history: ReadonlyArray<{ at: number; live: boolean }>;
}

interface Logged {
  /** Index in the router's log (all router processes, in order). */
  position: number;
  at: number;
}

/** The router's log, reduced to what it applied and when: registrations, and route sets read. */
export class RouterRecord {
  private readonly registered = new Map<string, Logged[]>();
  private readonly routeSets = new Map<string, Logged[]>();

  /** `lines`: the router processes' JSON log lines, in the order they were written. */
  constructor(lines: Iterable<Record<string, unknown>>) {
    let position = 0;
    for (const line of lines) {
      const entry = { position: position++, at: Date.parse(String(line['time'])) };
      if (line['msg'] === 'registered') append(this.registered, String(line['endpoint']), entry);
      if (line['msg'] === 'anti-entropy summary' && line['routesDiffer'] === true) append(this.routeSets, String(line['requestId']), entry);
    }
  }

  /**
   * Where in the log the state a confirmation comes from was read: a route set
   * at the latest reading of its request before it arrived; an ADD at the
   * latest registration of either attachment before it arrived (the one that
   * emitted it).
   */
  place(confirmation: Confirmation, local: string, peer: string): number | undefined {
    const before = (entries: Logged[] | undefined): Logged[] => (entries ?? []).filter((e) => e.at <= confirmation.at);
    const candidates =
      confirmation.requestId !== undefined
        ? before(this.routeSets.get(confirmation.requestId))
        : [...before(this.registered.get(local)), ...before(this.registered.get(peer))];
    return candidates.length === 0 ? undefined : Math.max(...candidates.map((e) => e.position));
  }

  /** When the router applied the registration of `endpoint` it held at `position` (its latest before). */
  appliedAt(endpoint: string, position: number): number | undefined {
    return (this.registered.get(endpoint) ?? []).filter((e) => e.position <= position).at(-1)?.at;
  }
}

function append(index: Map<string, Logged[]>, key: string, entry: Logged): void {
  const entries = index.get(key);
  if (entries) entries.push(entry);
  else index.set(key, [entry]);
}

/** Whether the attachment was live at every moment of [from, to]. */
export function liveThroughout(attachment: Churned, from: number, to: number): boolean {
  let live = true;
  for (const { at, live: now } of attachment.history) {
    if (at <= from) live = now;
    else if (at <= to && !now) return false;
  }
  return live;
}

export interface Judgement {
  loss: boolean;
  /** When the router applied the local and the peer registration the confirmation reflects. */
  appliedLocal?: number;
  appliedPeer?: number;
  why: string;
}

/**
 * A removal at `at` of the route (local → peer) last confirmed by
 * `confirmation` is a loss iff both attachments were live from when the router
 * applied the registrations that confirmation reflects until the removal.
 */
export function judgeRemoval(record: RouterRecord, at: number, confirmation: Confirmation | undefined, local: Churned, peer: Churned): Judgement {
  const position = confirmation && record.place(confirmation, local.endpoint, peer.endpoint);
  if (position === undefined) return { loss: true, why: confirmation ? 'its confirmation has no router record' : 'never confirmed' };
  const appliedLocal = record.appliedAt(local.endpoint, position);
  const appliedPeer = record.appliedAt(peer.endpoint, position);
  if (appliedLocal === undefined || appliedPeer === undefined) return { loss: true, why: 'a registration it reflects has no router record' };
  const times = { appliedLocal, appliedPeer };
  if (!liveThroughout(local, appliedLocal, at)) return { loss: false, ...times, why: 'the local attachment was deregistered since the router applied it' };
  if (!liveThroughout(peer, appliedPeer, at)) return { loss: false, ...times, why: 'the peer attachment was deregistered since the router applied it' };
  return { loss: true, ...times, why: 'both attachments live throughout' };
}
