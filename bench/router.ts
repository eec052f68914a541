// Router benchmark: prints figures (README: router/README.md).
//
// 1. End to end: `galactic router` behind Mosquitto, then
//    `galactic router --embedded-broker` (Aedes in the router process), and
//    with --separate behind `galactic broker`, with a file-backed SQLite
//    store that already holds 90,000 registrations (of other VPCs), so
//    100,000 are stored at the end; 1,000 workers connect as MQTT clients
//    (QoS 1) and register 10,000 endpoints: 1,000 VPCs of 10 endpoints, each
//    VPC spread over 10 workers, so 90,000 route ADDs result. Timed from the
//    first registration sent to the last route received. The router runs from
//    the build (`make build`: node dist/galactic.cjs) when there is one, as
//    deployed; otherwise through tsx (bin/galactic.mjs), which alone costs
//    about 115 MB of memory.
// 2. Per-registration cost against store size: the router's message handling
//    (decode, validate, read the VPC, plan, SQLite transaction, encode) in this
//    process, with 1,000, 10,000 and 100,000 endpoints already stored.
//
// Run: node --import tsx bench/router.ts [--workers N] [--vpcs N] [--prefill N] [--mosquitto | --embedded | --separate]
//      [--no-e2e] [--no-cost] [--router-node-args='FLAGS']
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createLogger } from '../lib/log.js';
import { createRegistry } from '../lib/metrics.js';
import { formatAddress, formatCidr } from '../lib/ip.js';
import { waitFor } from '../lib/wait.js';
import { decodeMessage, encodeMessage } from '../proto/remote.js';
import { parseEndpoint, RouterCore } from '../router/core.js';
import { routerMetrics } from '../router/metrics.js';
import type { Registration } from '../router/routes.js';
import { SqliteStore } from '../router/store-sqlite.js';
import { MOSQUITTO } from '../router/testing/mosquitto.js';
import { type Child, freePort, REPO, startChild, startGalactic } from '../router/testing/processes.js';
import { numberArg } from './args.js';
import { LeanMqttClient } from './support/lean-mqtt.js';

const WORKERS = numberArg('workers', 1000);
const VPCS = numberArg('vpcs', 1000);
/** Registrations already in the store (VPCs numbered after the bench's own). */
const PREFILL = numberArg('prefill', 90_000);
const BUILT = resolve(REPO, 'dist/galactic.cjs');
type Deployed = 'router' | 'broker';
/** The first container's environment (entries with a literal value) of a Deployment in deploy/: the bench runs the router and galactic broker as deployed. */
function deployedEnv(manifest: string): Record<string, string> {
  const manifests = parseAllDocuments(readFileSync(resolve(REPO, manifest), 'utf8')).map((doc) => doc.toJS() as { kind?: string; spec?: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } } });
  const container = manifests.find((m) => m.kind === 'Deployment')?.spec?.template.spec.containers[0];
  return Object.fromEntries((container?.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])));
}
const DEPLOYED_ENV: Record<Deployed, Record<string, string>> = { router: deployedEnv('deploy/router/deployment.yaml'), broker: deployedEnv('deploy/broker/broker.yaml') };
const ROUTER_NODE_ARGS_GIVEN = process.argv.find((a) => a.startsWith('--router-node-args='))?.slice('--router-node-args='.length);
const words = (text: string): string[] => text.split(' ').filter((word) => word !== '');
/** Node flags per process (with the build): its deployment's NODE_OPTIONS (V8 flags); the router's replaced by --router-node-args, e.g. --router-node-args='--cpu-prof'. */
const NODE_ARGS: Record<Deployed, string[]> = {
  router: words(ROUTER_NODE_ARGS_GIVEN ?? DEPLOYED_ENV.router.NODE_OPTIONS ?? ''),
  broker: words(DEPLOYED_ENV.broker.NODE_OPTIONS ?? ''),
};
const mallocSettings = (env: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('MALLOC_')));
/** Each deployment's glibc malloc settings (MALLOC_ARENA_MAX), given to its process. */
const MALLOC_ENV: Record<Deployed, Record<string, string>> = { router: mallocSettings(DEPLOYED_ENV.router), broker: mallocSettings(DEPLOYED_ENV.broker) };
const PER_VPC = 10;

/** Worker w's srv6_net, fd00:<w+1>::/64. */
const workerPrefix = (worker: number): bigint => (0xfd00n << 112n) | (BigInt(worker + 1) << 64n);

/** Endpoint j of VPC i: on worker (i*10 + j) mod WORKERS, SID in that worker's fd00:<w>::/64. */
function endpoint(i: number, j: number): { worker: number; sid: string; network: string } {
  const worker = (i * PER_VPC + j) % WORKERS;
  const sid = formatAddress(6, workerPrefix(worker) | (BigInt(i + 1) << 16n) | BigInt(j + 1));
  return { worker, sid, network: `10.1.${j}.1/32` };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
/** User + system CPU seconds a process has used so far. */
const cpuSecondsOf = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const peakRssOf = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

type Mode = 'mosquitto' | 'embedded' | 'separate';

/** `galactic …` from the build when there is one (as deployed), else through tsx. */
function galactic(name: Deployed, args: string[]): Child {
  const env = { LOG_LEVEL: 'warn', ...MALLOC_ENV[name] };
  return existsSync(BUILT) ? startChild(name, process.execPath, [...NODE_ARGS[name], BUILT, ...args], { cwd: REPO, env: { ...process.env, ...env } }) : startGalactic(name, args, env);
}

/** An anonymous Mosquitto on loopback with the shipped config's limits (hack/mosquitto/mosquitto.conf) and TCP_NODELAY (no access control: 1,000 accounts are not the point here). */
function mosquitto(dir: string, port: number): Child {
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'set_tcp_nodelay true', 'retain_available false', 'max_packet_size 65536', 'persistence false', 'max_queued_messages 100000', 'log_dest stderr', 'log_type error', ''].join('\n'));
  chmodSync(dir, 0o755);
  chmodSync(config, 0o644);
  return startChild('mosquitto', MOSQUITTO, ['-c', config]);
}

/** A store file holding PREFILL registrations of VPCs the run does not touch, by workers already bound to their prefixes (as they would be). */
async function prefilledStore(path: string): Promise<void> {
  const store = await SqliteStore.open(path);
  for (let w = 0; w < WORKERS; w++) await store.claimPrefix(`node${w}`, formatCidr({ family: 6, address: workerPrefix(w), prefixLength: 64 }));
  const prefill = rows(VPCS, PREFILL / PER_VPC);
  for (let k = 0; k < prefill.length; k += 10_000) await store.apply(prefill.slice(k, k + 10_000).map((registration) => ({ op: 'insert' as const, registration })));
  await store.close();
}

/**
 * `mosquitto`: the router behind Mosquitto. `embedded`: one process,
 * `galactic router --embedded-broker` (the laptop control plane). `separate`:
 * `galactic broker` and `galactic router` as two processes.
 */
async function endToEnd(dir: string, mode: Mode): Promise<void> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const db = join(dir, `e2e-${mode}.db`);
  await prefilledStore(db);
  const common = ['--db-url', `sqlite:${db}`, '--mqtt-clientid', 'galactic-router', '--metrics-port', String(metricsPort), '--metrics-host', '127.0.0.1'];
  const broker =
    mode === 'separate' ? galactic('broker', ['broker', '--port', String(port), '--host', '127.0.0.1']) : mode === 'mosquitto' ? mosquitto(dir, port) : undefined;
  const router = galactic('router', mode === 'embedded' ? ['router', '--embedded-broker', String(port), '--broker-host', '127.0.0.1', ...common] : ['router', '--mqtt-url', `mqtt://127.0.0.1:${port}`, ...common]);
  try {
    await waitFor(
      async () => {
        if (!router.running) throw new Error(router.tail());
        return (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok;
      },
      { what: 'the router to be ready', timeoutMs: 30_000 },
    );
    // Connect and subscribe every worker before timing.
    const clients: LeanMqttClient[] = [];
    let routes = 0;
    for (let w = 0; w < WORKERS; w += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, WORKERS - w) }, async (_, k) => {
          const client = await LeanMqttClient.connect(port, `bench-node${w + k}`, (_topic, payload) => {
            if (decodeMessage(payload).kind === 'route') routes++;
          });
          await client.subscribe(`galactic/node${w + k}/receive`);
          return client;
        }),
      );
      clients.push(...batch);
    }
    const expectedRoutes = VPCS * PER_VPC * (PER_VPC - 1);
    const registrations = VPCS * PER_VPC;
    // Each worker sends its registrations, round by round (every VPC's first endpoint, then second…).
    const byWorker = new Map<number, Array<{ sid: string; network: string }>>();
    for (let j = 0; j < PER_VPC; j++) {
      for (let i = 0; i < VPCS; i++) {
        const e = endpoint(i, j);
        if (!byWorker.has(e.worker)) byWorker.set(e.worker, []);
        byWorker.get(e.worker)!.push(e);
      }
    }
    const pids = [router.process.pid!, ...(broker ? [broker.process.pid!] : []), process.pid];
    const cpuBefore = pids.map(cpuSecondsOf);
    const started = performance.now();
    // When the router has handled every registration (its own counter, read from /metrics).
    let processed = 0;
    // Where the router's memory goes, at its largest among the scrapes (process metrics, bytes).
    const memory = { heapTotal: 0, heapUsed: 0, external: 0, resident: 0 };
    const handled = waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        for (const [key, name] of [['heapTotal', 'nodejs_heap_size_total_bytes'], ['heapUsed', 'nodejs_heap_size_used_bytes'], ['external', 'nodejs_external_memory_bytes'], ['resident', 'process_resident_memory_bytes']] as const) {
          memory[key] = Math.max(memory[key], Number(new RegExp(`^galactic_${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0));
        }
        return Number(/^galactic_router_messages_total\{kind="register".*\} (\d+)$/m.exec(text)?.[1] ?? 0) >= registrations && (processed = performance.now());
      },
      // Each scrape costs the router CPU (process metrics): a few per second, not every 50 ms.
      { what: 'the router to handle every registration', timeoutMs: 600_000, intervalMs: 250 },
    );
    await Promise.all(
      [...byWorker].map(async ([w, list]) => {
        for (const e of list) {
          await clients[w]!.publish(`galactic/node${w}/send`, Buffer.from(encodeMessage({ kind: 'register', network: e.network, srv6Endpoint: e.sid })));
        }
      }),
    );
    const sent = performance.now();
    await waitFor(() => routes >= expectedRoutes, { what: `${expectedRoutes} routes (got ${routes})`, timeoutMs: 600_000, intervalMs: 5 });
    const done = performance.now();
    await handled;
    const cpu = pids.map((pid, i) => cpuSecondsOf(pid) - cpuBefore[i]!);
    const seconds = (done - started) / 1000;
    const title = { embedded: 'galactic router --embedded-broker, one process', separate: 'galactic broker + galactic router, two processes', mosquitto: 'Mosquitto + galactic router' }[mode];
    console.log(`End to end, ${title} (SQLite file, QoS 1, loopback; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}; router from ${existsSync(BUILT) ? 'dist/galactic.cjs' : 'tsx'}):`);
    console.log(`  registrations stored before  ${PREFILL}`);
    const settings = (name: Deployed): string => {
      const flags = existsSync(BUILT) && NODE_ARGS[name].length > 0 ? NODE_ARGS[name].join(' ') : '(none)';
      const asDeployed = name === 'router' && ROUTER_NODE_ARGS_GIVEN !== undefined ? '' : ` (as deploy/${name} sets NODE_OPTIONS)`;
      const malloc = Object.entries(MALLOC_ENV[name]).map(([k, v]) => `${k}=${v}`).join(' ');
      return `${flags}${asDeployed}${malloc === '' ? '' : `, ${malloc}`}`;
    };
    console.log(`  router node flags            ${settings('router')}`);
    if (mode === 'separate') console.log(`  broker node flags            ${settings('broker')}`);
    console.log(`  workers                      ${WORKERS}`);
    console.log(`  registrations                ${registrations} (${VPCS} VPCs x ${PER_VPC} endpoints)`);
    console.log(`  route ADDs delivered         ${routes}`);
    console.log(`  all registrations sent in    ${((sent - started) / 1000).toFixed(2)} s`);
    console.log(`  all registrations handled in ${((processed - started) / 1000).toFixed(2)} s`);
    console.log(`  all routes delivered in      ${seconds.toFixed(2)} s`);
    console.log(`  router CPU time              ${cpu[0]!.toFixed(2)} s (user + system${broker ? '' : ', router + embedded broker'})`);
    console.log(`  bench CPU time               ${cpu[cpu.length - 1]!.toFixed(2)} s (its ${WORKERS} MQTT clients)`);
    if (broker) console.log(`  broker CPU time              ${cpu[1]!.toFixed(2)} s (${mode === 'mosquitto' ? 'Mosquitto' : 'galactic broker'})`);
    console.log(`  registrations/s              ${(registrations / seconds).toFixed(0)}`);
    console.log(`  routes published/s           ${(routes / seconds).toFixed(0)}`);
    console.log(`  router peak resident memory  ${mb(peakRssOf(router.process.pid!))}${broker ? '' : ' (router + embedded broker + store)'}`);
    console.log(`  router memory at its scrapes heap ${mb(memory.heapUsed)} used of ${mb(memory.heapTotal)}, external ${mb(memory.external)}, resident ${mb(memory.resident)} (largest of each)`);
    if (broker) console.log(`  broker peak resident memory  ${mb(peakRssOf(broker.process.pid!))}`);
    const stored = Number(/^galactic_router_registrations\{.*\} (\d+)$/m.exec(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text())?.[1] ?? 0);
    console.log(`  registrations stored after   ${stored}`);
    console.log(`  bench peak resident memory   ${mb(peakRssOf(process.pid))} (${WORKERS} MQTT clients)`);
    await Promise.all(clients.map((c) => c.end()));
  } finally {
    await router.stop('SIGTERM');
    await broker?.stop('SIGTERM');
  }
}

/** Registrations in VPCs numbered from `firstVpc`, as stored rows. */
function rows(firstVpc: number, vpcs: number): Registration[] {
  const out: Registration[] = [];
  for (let i = firstVpc; i < firstVpc + vpcs; i++) {
    for (let j = 0; j < PER_VPC; j++) {
      const e = endpoint(i, j);
      out.push({ ...parseEndpoint(e.sid), network: e.network, worker: `node${e.worker}`, created: 0 });
    }
  }
  return out;
}

async function costBySize(dir: string): Promise<void> {
  console.log('Per-registration cost by store size (decode, validate, read the VPC, plan, SQLite transaction, encode):');
  const logger = createLogger('bench', { level: 'warn' });
  const measuredVpcs = 300;
  // The first round only warms up the JIT and is not printed.
  for (const [round, size] of [1_000, 1_000, 10_000, 100_000].entries()) {
    const store = await SqliteStore.open(join(dir, `size-${round}.db`));
    const prefill = rows(0, size / PER_VPC);
    for (let k = 0; k < prefill.length; k += 10_000) await store.apply(prefill.slice(k, k + 10_000).map((registration) => ({ op: 'insert' as const, registration })));
    const core = new RouterCore({ store, topicBase: 'galactic/', logger, metrics: routerMetrics(createRegistry('bench', { defaults: false })) });
    // New VPCs (beyond the prefilled ones), registered round by round as in the end-to-end run.
    const messages: Array<{ topic: string; payload: Uint8Array }> = [];
    for (let j = 0; j < PER_VPC; j++) {
      for (let i = size / PER_VPC; i < size / PER_VPC + measuredVpcs; i++) {
        const e = endpoint(i, j);
        messages.push({ topic: `galactic/node${e.worker}/send`, payload: encodeMessage({ kind: 'register', network: e.network, srv6Endpoint: e.sid }) });
      }
    }
    let published = 0;
    for (const m of messages.slice(0, 200)) await core.handle(m.topic, m.payload); // warm-up (its own VPCs' first endpoints)
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    for (const m of messages.slice(200)) published += (await core.handle(m.topic, m.payload)).length;
    const cpu = process.cpuUsage(cpuStarted);
    const n = messages.length - 200;
    const us = ((performance.now() - started) * 1000) / n;
    // CPU time is the steadier figure on a shared machine.
    const cpuUs = (cpu.user + cpu.system) / n;
    if (round > 0) console.log(`  ${String(size).padStart(7)} endpoints stored: ${us.toFixed(0).padStart(4)} µs per registration, ${cpuUs.toFixed(0).padStart(4)} µs CPU (${(published / n).toFixed(1)} routes each)`);
    await store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'galactic-bench-router-'));
try {
  const chosen = (['mosquitto', 'embedded', 'separate'] as const).filter((m) => process.argv.includes(`--${m}`));
  if (!process.argv.includes('--no-e2e')) for (const m of chosen.length > 0 ? chosen : (['mosquitto', 'embedded'] as const)) await endToEnd(dir, m);
  if (!process.argv.includes('--no-cost')) await costBySize(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
