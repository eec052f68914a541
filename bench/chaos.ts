// Chaos benchmark of the control plane (issue 8): prints faults injected,
// messages dropped and duplicated, worst and median time to converge after
// the last fault, and routes lost (must be 0).
//
// On loopback: an Aedes broker in this process behind an MQTT-aware proxy
// (test/support/mqtt-fault-proxy.ts), `galactic router` as a child process
// with an SQLite file store, and N agents' control planes in this process
// (the real ControlPlane, RegistrationStore and RouteStore; no kernel: each
// agent's kernel is modelled as its route store, kept whole while the store
// is unconfirmed after a restart, as the agent's planner does). For the run's
// duration, random faults: broker killed and restarted (sessions lost),
// router SIGKILLed and restarted, agent killed and restarted (registrations
// kept, as in its state file; routes forgotten), connections cut, and lossy
// phases (20 % of PUBLISH packets dropped, 5 % duplicated); meanwhile
// attachments are registered and deregistered at random. Then the line is
// made clean and every agent's routes are compared with the routes the live
// attachments imply (SPEC §9) until equal.
//
// "Routes lost" counts removals, from a modelled kernel, of a route that was
// expected throughout the interval its removal could reflect: the removals no
// (de)registration can explain. Exactly, from the bench's own record and the
// router's log of what it applied (one process, handling strictly in turn, so
// its log order is the order of its store states), not a time window:
//  - every removal of a route (local attachment L, peer P) expected at the
//    moment of removal t is recorded with the route's last confirmation to
//    this agent: the ADD, or the route set (by its request id), that last
//    brought it;
//  - that confirmation is placed in the router's log: a route set at the
//    router's "anti-entropy summary" line answering its request (the set is
//    read in that turn), an ADD at the router's latest "registered" line of
//    L or P logged before the ADD arrived (the registration that emitted it);
//  - h_L and h_P are when the router applied the registrations of L and P
//    that the confirmation reflects (their latest "registered" lines at or
//    before it);
//  - the removal is a loss if and only if L was live throughout [h_L, t] and
//    P throughout [h_P, t]. Otherwise one of them was deregistered at some
//    moment after the router applied what the confirmation came from, and the
//    removal may be that deregistration's late effect (messages are delayed
//    without bound: a router restart's backlog, a re-registration lost until
//    anti-entropy resends it), not a lost route. A confirmation with no
//    router record counts as a loss.
// Limits, all narrow: a registration of X applied at h_X was sent at some
// moment up to h_X; the judgement assumes the latest, so if the router
// applied it only after X had been deregistered and registered again since it
// was sent (its backlog spanning a whole off/on cycle of X), a removal caused
// by that cycle's deregistration is counted (over-count; --explain prints h_X
// beside X's history). A removal caused by a stale message counts as excused
// if X also happened to be deregistered after h_X (under-count). A
// registration set that left X unchanged confirms X later than h_X; the
// judgement ignores that (under-count). An ADD is placed at the latest
// registration of L or P before it arrived, which is a later one than the
// registration that emitted it only if that later one's ADD was still in
// flight (over-count).
//
// --explain: for every lost route, what removed it (the DELETE or the route
// set that did), what last confirmed it and when the router applied the
// registrations it reflects, the attachments' churn history, the faults
// around it and the router's log of both attachments and their workers'
// anti-entropy; then the router's anti-entropy for the agent that converged
// last, and how far the router's handling trailed the churn.
//
// Run: node --import tsx bench/chaos.ts [--agents 10] [--attachments 1000] [--vpcs 50] [--seconds 180] [--interval 30] [--seed 1] [--explain]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlPlane } from '../agent/control-plane.js';
import type { Registration, RouterRoute } from '../agent/plan.js';
import { routerRouteKey } from '../agent/plan.js';
import { RegistrationStore, RouteStore } from '../agent/registrations.js';
import { createLogger } from '../lib/log.js';
import { type MqttConnection, connectMqtt } from '../lib/mqtt.js';
import { encodeSid, parseSrv6Net } from '../lib/sid.js';
import { decodeMessage } from '../proto/remote.js';
import { waitFor, withTimeout } from '../lib/wait.js';
import { type RunningBroker, startBroker } from '../router/broker.js';
import { type Child, freePort, startGalactic } from '../router/testing/processes.js';
import { MqttFaultProxy, seededRandom } from '../test/support/mqtt-fault-proxy.js';
import { numberArg } from './args.js';
import { type Confirmation, type Judgement, RouterRecord, judgeRemoval } from './support/route-losses.js';

const AGENTS = numberArg('agents', 10);
const ATTACHMENTS = numberArg('attachments', 1000);
const VPCS = numberArg('vpcs', 50);
const SECONDS = numberArg('seconds', 180);
const INTERVAL_S = numberArg('interval', 30);
const LOSSY = { drop: 0.2, duplicate: 0.05 };
const CLEAN = { drop: 0, duplicate: 0 };
const EXPLAIN = process.argv.includes('--explain');

// Deterministic randomness, so a run can be repeated.
const random = seededRandom(numberArg('seed', 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const quiet = createLogger('chaos', { level: 'error' });

interface Attachment {
  agent: number;
  vpc: number;
  registration: Registration;
  network: string;
  live: boolean;
  /** Every (de)registration: when, and to which state. */
  history: Array<{ at: number; live: boolean }>;
}

const nets = Array.from({ length: AGENTS }, (_, i) => parseSrv6Net(`2001:db8:${(i + 1).toString(16)}::/48`));
const attachments: Attachment[] = Array.from({ length: ATTACHMENTS }, (_, k) => {
  const agent = k % AGENTS;
  const vpc = (k % VPCS) + 1;
  const index = Math.floor(k / VPCS);
  const network = `10.${(index >> 8) & 0xff}.${index & 0xff}.1/32`;
  const sid = encodeSid(nets[agent]!, { vpc: BigInt(vpc), attachment: BigInt(k + 1) });
  return { agent, vpc, network, registration: { sid, vpc: BigInt(vpc), attachment: BigInt(k + 1), networks: [network] }, live: true, history: [] };
});

/** agent → route key → segments, that the live attachments imply (SPEC §9: every peer endpoint of each local endpoint). */
function expectedRoutes(agent: number): Map<string, string> {
  const expected = new Map<string, string>();
  const byVpc = new Map<number, Attachment[]>();
  for (const a of attachments) {
    if (!a.live) continue;
    const members = byVpc.get(a.vpc);
    if (members) members.push(a);
    else byVpc.set(a.vpc, [a]);
  }
  for (const local of attachments) {
    if (!local.live || local.agent !== agent) continue;
    for (const peer of byVpc.get(local.vpc) ?? []) {
      if (peer.registration.sid !== local.registration.sid) expected.set(routerRouteKey(local.registration.sid, peer.network), peer.registration.sid);
    }
  }
  return expected;
}

const bySid = new Map(attachments.map((a) => [a.registration.sid, a]));
const byVpcNetwork = new Map(attachments.map((a) => [`${a.vpc} ${a.network}`, a]));

/** A route store that records what last brought each route (the bench's record; see the header). */
class ConfirmedRouteStore extends RouteStore {
  constructor(
    private readonly confirmations: Map<string, Confirmation>,
    /** The route set whose last part is being applied (the bench sees each message before the agent). */
    private readonly routeSetInHand: () => string | undefined,
  ) {
    super();
  }

  override add(route: RouterRoute): void {
    this.confirmations.set(routerRouteKey(route.endpoint, route.network), { at: Date.now() });
    super.add(route);
  }

  override replace(routes: Iterable<RouterRoute>): void {
    const all = [...routes];
    const confirmation = { at: Date.now(), requestId: this.routeSetInHand() };
    for (const route of all) this.confirmations.set(routerRouteKey(route.endpoint, route.network), confirmation);
    super.replace(all);
  }
}

/** A removal of a route that was expected at that moment, to be judged at the end (header). */
interface Removal {
  at: number;
  agent: number;
  key: string;
  cause: string;
  confirmation: Confirmation | undefined;
}
const removals: Removal[] = [];
const faultLog: Array<{ at: number; fault: string }> = [];
const iso = (ms: number): string => new Date(ms).toISOString().slice(11, 23);

class SimulatedAgent {
  readonly registrations = new RegistrationStore();
  /** The modelled kernel: survives agent restarts. */
  readonly kernel = new Map<string, string>();
  /** What last brought each route to this agent (the bench's record; survives restarts). */
  readonly confirmations = new Map<string, Confirmation>();
  routes!: RouteStore;
  connection!: MqttConnection;
  plane!: ControlPlane;
  restarts = 0;
  private wasResyncing = true;
  /** The last DELETE received per route key, and the last whole-set change (the removal's cause). */
  private readonly lastDelete = new Map<string, number>();
  private lastReplace = { at: 0, what: 'start' };
  private lastRouteSet: string | undefined;

  constructor(
    readonly index: number,
    private readonly url: string,
  ) {
    for (const a of attachments) if (a.agent === index) this.registrations.register(a.registration);
  }

  start(): void {
    const worker = `node${this.index}`;
    this.routes = new ConfirmedRouteStore(this.confirmations, () => this.lastRouteSet);
    this.wasResyncing = true;
    this.connection = connectMqtt({ url: this.url, qos: 1, clientId: `chaos-${worker}`, reconnectMs: 500, dropUnacknowledgedOnDisconnect: true }, quiet);
    this.plane = new ControlPlane({
      connection: this.connection,
      sendTopic: `galactic/${worker}/send`,
      receiveTopic: `galactic/${worker}/receive`,
      srv6Net: nets[this.index]!,
      registrations: this.registrations,
      routes: this.routes,
      logger: quiet,
      antiEntropyIntervalMs: INTERVAL_S * 1000,
    });
    const routes = this.routes;
    this.watchMessages();
    const sync = (): void => this.syncKernel(routes);
    routes.version$.subscribe(sync);
    routes.resyncing$.subscribe(sync);
    this.plane.start();
  }

  async kill(): Promise<void> {
    this.plane.stop();
    this.routes.close();
    // A killed process waits for nothing: unacknowledged publishes (a lossy line) must not hold it up.
    await withTimeout(this.connection.close(), 1000, 'the killed agent to disconnect').catch(() => undefined);
    this.restarts++;
    this.start();
  }

  /** Subscribed before the control plane, so each message is seen before the agent acts on it. */
  private watchMessages(): void {
    const receive = `galactic/node${this.index}/receive`;
    this.connection.messages$.subscribe(({ topic, payload }) => {
      if (topic !== receive) return;
      const message = decodeMessage(payload);
      if (message.kind === 'route' && message.status === 'DELETE') this.lastDelete.set(routerRouteKey(message.srv6Endpoint, message.network), Date.now());
      if (message.kind === 'routeSet') {
        this.lastRouteSet = message.requestId;
        this.lastReplace = { at: Date.now(), what: `route set ${message.requestId} part ${message.part + 1}/${message.parts}` };
      }
      if (message.kind === 'resyncComplete') this.lastReplace = { at: Date.now(), what: `resync complete ${message.requestId}` };
    });
  }

  /** The agent's planner: while unconfirmed it keeps what the kernel has; afterwards the kernel follows the store. */
  private syncKernel(routes: RouteStore): void {
    if (routes !== this.routes) return; // a killed agent's store
    const view = routes.view();
    const resyncing = routes.resyncing$.value;
    const changes = routes.takeChanges();
    // A confirmation or a whole new set: every key; otherwise the changed ones.
    const sweep = changes === 'all' || (this.wasResyncing && !resyncing);
    this.wasResyncing = resyncing;
    const keys = sweep ? new Set([...this.kernel.keys(), ...view.keys()]) : changes;
    let expected: Map<string, string> | undefined;
    for (const key of keys) {
      const route = view.get(key);
      if (route) {
        this.kernel.set(key, route.segments.join(','));
        continue;
      }
      if (resyncing || !this.kernel.delete(key)) continue;
      expected ??= expectedRoutes(this.index);
      if (!expected.has(key)) continue;
      const cause =
        changes === 'all'
          ? `whole set replaced (last: ${this.lastReplace.what} at ${iso(this.lastReplace.at)})`
          : sweep
            ? 'confirmation sweep'
            : `DELETE received at ${iso(this.lastDelete.get(key) ?? 0)}`;
      removals.push({ at: Date.now(), agent: this.index, key, cause: `${cause}; agent restarts ${this.restarts}`, confirmation: this.confirmations.get(key) });
    }
  }

  /** Why this agent has not converged: what its kernel lacks and holds beyond the live attachments' routes. */
  difference(): string {
    const expected = expectedRoutes(this.index);
    const missing = [...expected].filter(([key, segments]) => this.kernel.get(key) !== segments).map(([key]) => key);
    const extra = [...this.kernel.keys()].filter((key) => !expected.has(key));
    return `resyncing ${this.routes.resyncing$.value}, store ${this.routes.size}, kernel ${this.kernel.size}, expected ${expected.size}; missing ${missing.length} (${missing.slice(0, 3).join('; ')}), extra ${extra.length} (${extra.slice(0, 3).join('; ')})`;
  }

  converged(): boolean {
    if (this.routes.resyncing$.value) return false;
    const expected = expectedRoutes(this.index);
    if (expected.size !== this.kernel.size) return false;
    for (const [key, segments] of expected) if (this.kernel.get(key) !== segments) return false;
    return true;
  }
}

interface Loss extends Removal, Judgement {}

/** Judges every recorded removal (header) against the router processes' logs. */
function judgeRemovals(routers: Child[]): { losses: Loss[]; excused: Map<string, number> } {
  const record = new RouterRecord(routers.flatMap((r) => r.logs()));
  const losses: Loss[] = [];
  const excused = new Map<string, number>();
  for (const removal of removals) {
    const [endpoint, network] = removal.key.split(' ');
    const local = bySid.get(endpoint!)!;
    const peer = byVpcNetwork.get(`${local.vpc} ${network}`)!;
    const judgement = judgeRemoval(record, removal.at, removal.confirmation, { endpoint: local.registration.sid, history: local.history }, { endpoint: peer.registration.sid, history: peer.history });
    if (judgement.loss) losses.push({ ...removal, ...judgement });
    else excused.set(judgement.why, (excused.get(judgement.why) ?? 0) + 1);
  }
  return { losses, excused };
}

/** --explain: the losses grouped by agent, local endpoint and cause, with what led to them. */
function explainLosses(losses: Loss[], routers: Child[]): void {
  const routerLog = routers.flatMap((r, i) => r.logs().map((line): Record<string, unknown> => ({ ...line, router: i })));
  const groups = new Map<string, Loss[]>();
  for (const loss of losses) {
    const id = `${loss.agent} ${loss.key.split(' ')[0]} ${loss.cause} ${Math.floor(loss.at / 1000)}`;
    groups.set(id, [...(groups.get(id) ?? []), loss]);
  }
  const history = (a: Attachment | undefined): string =>
    a ? a.history.map((h) => `${h.live ? 'on' : 'off'}@${iso(h.at)}`).join(' ') || 'never churned' : 'unknown';
  const when = (ms: number | undefined): string => (ms === undefined ? '—' : iso(ms));
  for (const group of groups.values()) {
    const first = group[0]!;
    const endpoint = first.key.split(' ')[0]!;
    const local = bySid.get(endpoint);
    console.log(`\nLOSS ${iso(first.at)} node${first.agent}: ${group.length} routes of local endpoint ${endpoint} (${group.map((l) => l.key.split(' ')[1]).join(', ')})`);
    console.log(`  removed by: ${first.cause}; judged: ${first.why}`);
    console.log(
      `  last confirmed by: ${group.map((l) => (l.confirmation ? `${l.confirmation.requestId ? `route set ${l.confirmation.requestId}` : 'ADD'} at ${iso(l.confirmation.at)}` : 'never')).join(', ')}`,
    );
    console.log(`  router applied local/peer registrations at: ${group.map((l) => `${when(l.appliedLocal)}/${when(l.appliedPeer)}`).join(', ')}`);
    console.log(`  local attachment churn: ${history(local)}`);
    for (const l of group) {
      const peer = local && byVpcNetwork.get(`${local.vpc} ${l.key.split(' ')[1]}`);
      if (peer && peer.history.length > 0) console.log(`  peer ${l.key.split(' ')[1]} churn: ${history(peer)}`);
    }
    const since = first.at - 60_000;
    console.log(`  faults in the minute before: ${faultLog.filter((f) => f.at >= since && f.at <= first.at).map((f) => `${f.fault}@${iso(f.at)}`).join(' ')}`);
    // The router's log of both attachments and of their workers' anti-entropy.
    const peers = group.flatMap((l) => {
      const peer = local && byVpcNetwork.get(`${local.vpc} ${l.key.split(' ')[1]}`);
      return peer ? [peer] : [];
    });
    const endpoints = new Set([endpoint, ...peers.map((p) => p.registration.sid)]);
    const workers = new Set([`node${first.agent}`, ...peers.map((p) => `node${p.agent}`)]);
    const about = routerLog.filter((line) => endpoints.has(String(line['endpoint'])) || (workers.has(String(line['worker'])) && String(line['msg']).startsWith('anti-entropy')));
    for (const line of about.filter((l) => Date.parse(String(l['time'])) >= since && Date.parse(String(l['time'])) <= first.at + 2000).slice(-30)) {
      console.log(`  router#${String(line['router'])} ${String(line['time']).slice(11, 23)} ${String(line['msg'])} ${JSON.stringify({ ...line, time: undefined, msg: undefined, level: undefined, component: undefined, router: undefined })}`);
    }
  }
}

/**
 * --explain: how far the router's handling trailed the churn: each
 * (de)registration against the router's first log of that change at or after
 * it (lost and repaired ones included), and its last change after the last fault.
 */
function explainRouterLag(lastFault: number, routers: Child[]): void {
  const applied = new Map<string, number[]>();
  for (const line of routers.flatMap((r) => r.logs())) {
    if (line['msg'] !== 'registered' && line['msg'] !== 'deregistered') continue;
    const key = `${String(line['msg'])} ${String(line['endpoint'])}`;
    applied.set(key, [...(applied.get(key) ?? []), Date.parse(String(line['time']))]);
  }
  const lags: number[] = [];
  let superseded = 0;
  for (const a of attachments) {
    a.history.forEach(({ at, live }, i) => {
      const next = a.history[i + 1]?.at ?? Infinity;
      // Only a log line before the attachment's next change is this change's; a lost one was superseded.
      const handled = applied.get(`${live ? 'registered' : 'deregistered'} ${a.registration.sid}`)?.find((t) => t >= at && t < next);
      if (handled === undefined) superseded++;
      else lags.push(handled - at);
    });
  }
  lags.sort((x, y) => x - y);
  const last = Math.max(...[...applied.values()].flat());
  const q = (f: number): string => `${((lags[Math.floor(f * (lags.length - 1))] ?? 0) / 1000).toFixed(2)} s`;
  console.log(`\nROUTER LAG behind churn (${lags.length} changes; ${superseded} not applied before the next change of their attachment): median ${q(0.5)}, p90 ${q(0.9)}, p99 ${q(0.99)}, max ${q(1)}; its last change ${((last - lastFault) / 1000).toFixed(1)} s after the last fault`);
}

/** --explain: what the router did for the agent that converged last, from the last fault on. */
function explainSlowest(agents: SimulatedAgent[], converged: Map<number, number>, lastFault: number, routers: Child[]): void {
  const slowest = [...agents].sort((a, b) => (converged.get(b.index) ?? Infinity) - (converged.get(a.index) ?? Infinity))[0]!;
  const worker = `node${slowest.index}`;
  const until = lastFault + (converged.get(slowest.index) ?? 0) + 1000;
  console.log(`\nSLOWEST ${worker}: the last fault at ${iso(lastFault)}; the router's anti-entropy for it from 40 s before:`);
  for (const [i, router] of routers.entries()) {
    for (const line of router.logs()) {
      const at = Date.parse(String(line['time']));
      if (line['worker'] !== worker || !String(line['msg']).startsWith('anti-entropy') || at < lastFault - 40_000 || at > until) continue;
      console.log(`  router#${i} ${iso(at)} ${String(line['msg'])} ${JSON.stringify({ ...line, time: undefined, msg: undefined, level: undefined, component: undefined, worker: undefined })}`);
    }
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'galactic-chaos-'));
  const brokerPort = await freePort();
  const startOwnBroker = (): Promise<RunningBroker> => startBroker({ port: brokerPort, host: '127.0.0.1', topicBase: 'galactic', logger: quiet });
  let broker = await startOwnBroker();
  const proxy = await MqttFaultProxy.start({ host: '127.0.0.1', port: brokerPort }, CLEAN, random);
  const startRouterProcess = (): Child =>
    // At info the router logs each registration it applies and each route set it reads: the judgement needs them.
    startGalactic('router', ['router', '--mqtt-url', proxy.url, '--mqtt-clientid', 'chaos-router', '--db-url', join(dir, 'router.db'), '--anti-entropy-interval', String(INTERVAL_S)], {
      LOG_LEVEL: 'info',
    });
  const routers: Child[] = [];
  let router = startRouterProcess();
  routers.push(router);
  const agents = Array.from({ length: AGENTS }, (_, i) => new SimulatedAgent(i, proxy.url));
  for (const agent of agents) agent.start();
  const faults: Record<string, number> = { broker: 0, router: 0, agent: 0, cut: 0, lossy: 0 };
  let churn = 0;
  try {
    console.log(`chaos: ${AGENTS} agents, ${ATTACHMENTS} attachments in ${VPCS} VPCs, ${SECONDS} s of faults, anti-entropy every ${INTERVAL_S} s`);
    const initial = Date.now();
    await waitFor(() => agents.every((a) => a.converged()), { what: 'the initial convergence', timeoutMs: 300_000, intervalMs: 200 });
    console.log(`initial convergence: ${((Date.now() - initial) / 1000).toFixed(1)} s, ${agents.reduce((n, a) => n + a.kernel.size, 0)} routes`);

    const end = Date.now() + SECONDS * 1000;
    const churner = setInterval(() => {
      const a = pick(attachments);
      const agent = agents[a.agent]!;
      a.live = !a.live;
      a.history.push({ at: Date.now(), live: a.live });
      churn++;
      if (a.live) {
        agent.registrations.register(a.registration);
        agent.plane.announce(a.registration);
      } else {
        agent.registrations.deregister(a.registration.sid);
        agent.plane.withdraw(a.registration);
      }
    }, 250);
    while (Date.now() < end) {
      const fault = pick(['broker', 'router', 'agent', 'cut', 'lossy'] as const);
      faults[fault]!++;
      faultLog.push({ at: Date.now(), fault });
      process.stderr.write(`${new Date().toISOString()} fault: ${fault}\n`);
      switch (fault) {
        case 'broker':
          await broker.close();
          broker = await startOwnBroker();
          break;
        case 'router':
          await router.stop('SIGKILL');
          router = startRouterProcess();
          routers.push(router);
          break;
        case 'agent':
          await pick(agents).kill();
          break;
        case 'cut':
          proxy.cutConnections();
          break;
        case 'lossy':
          proxy.setRates(LOSSY);
          await new Promise((resolve) => setTimeout(resolve, 3000 + random() * 5000));
          proxy.setRates(CLEAN);
          break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 + random() * 3000));
    }
    clearInterval(churner);
    proxy.setRates(CLEAN);
    const lastFault = Date.now();
    const converged = new Map<number, number>();
    await waitFor(
      () => {
        for (const agent of agents) if (!converged.has(agent.index) && agent.converged()) converged.set(agent.index, Date.now() - lastFault);
        return converged.size === agents.length;
      },
      { what: 'every agent to converge after the last fault', timeoutMs: 10 * INTERVAL_S * 1000, intervalMs: 100 },
    ).catch((error: Error) => {
      console.log(`NOT CONVERGED: ${error.message}`);
      for (const agent of agents.filter((a) => !converged.has(a.index))) console.log(`  node${agent.index}: ${agent.difference()}`);
      console.log(`  router process ${routers.length - 1}: ${router.running ? 'running' : 'exited'}; its last lines:\n${router.output.slice(-15).join('\n')}`);
    });
    const times = [...converged.values()].sort((a, b) => a - b);
    const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
    console.log(`faults injected: ${Object.entries(faults).map(([k, v]) => `${k} ${v}`).join(', ')}; churn ${churn} (de)registrations`);
    console.log(`PUBLISH packets through the proxy: ${proxy.stats.publishes}, dropped ${proxy.stats.dropped}, duplicated ${proxy.stats.duplicated}`);
    console.log(`converged after the last fault: ${converged.size}/${agents.length} agents; median ${seconds(times[Math.floor(times.length / 2)])}, worst ${seconds(times.at(-1))}`);
    console.log(`  per agent: ${agents.map((a) => `node${a.index} ${seconds(converged.get(a.index))}`).join(', ')}`);
    const { losses, excused } = judgeRemovals(routers);
    const examples = losses.slice(0, 5).map((l) => `node${l.agent}: ${l.key}`);
    const reasons = [...excused].map(([why, count]) => `${count}: ${why}`).join('; ');
    console.log(`removals of expected routes: ${removals.length}; excused ${removals.length - losses.length}${reasons ? ` (${reasons})` : ''}`);
    console.log(`routes lost: ${losses.length}${examples.length > 0 ? ` (e.g. ${examples.join('; ')})` : ''}`);
    console.log(`routes at the end: ${agents.reduce((n, a) => n + a.kernel.size, 0)}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    if (EXPLAIN) {
      explainLosses(losses, routers);
      explainSlowest(agents, converged, lastFault, routers);
      explainRouterLag(lastFault, routers);
    }
    if (losses.length > 0 || converged.size < agents.length) process.exitCode = 1;
  } finally {
    for (const agent of agents) {
      agent.plane.stop();
      agent.routes.close();
    }
    await router.stop('SIGKILL');
    await proxy.close();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
// Reconnecting clients and half-closed sockets of the killed parts need not be waited for.
process.exit();
