// Prometheus metrics and the health endpoints every daemon serves:
// /metrics (text format), /healthz (process alive), /readyz (named checks).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PassResult } from './reconcile.js';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

export function createRegistry(component: string, { defaults = true } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'galactic_' });
  return registry;
}

/** Returns a recorder for reconcile pass results (count, actions, duration). */
export function reconcileMetrics(registry: Registry): (result: PassResult<unknown>) => void {
  const passes = new Counter({
    name: 'galactic_reconcile_passes_total',
    help: 'Reconcile passes by loop and outcome',
    labelNames: ['loop', 'outcome'],
    registers: [registry],
  });
  const actions = new Counter({
    name: 'galactic_reconcile_actions_total',
    help: 'Actions applied by reconcile passes',
    labelNames: ['loop'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'galactic_reconcile_pass_seconds',
    help: 'Duration of reconcile passes',
    labelNames: ['loop'],
    buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10],
    registers: [registry],
  });
  return (result) => {
    passes.inc({ loop: result.name, outcome: result.ok ? 'ok' : 'error' });
    if (result.ok) actions.inc({ loop: result.name }, result.actions.length);
    duration.observe({ loop: result.name }, result.durationMs / 1000);
  };
}

/** Thrown by a `state` handler for a bad request: answered 400 with its message. */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

/** Where /metrics, /healthz, /readyz and /state listen unless configured: this host only. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  checks?: Record<string, ReadinessCheck>;
  /** Served as JSON at /state (for `galactic status`); gets the query string. */
  state?: (query: URLSearchParams) => unknown;
  /** Gets what failed while answering; the client only gets "internal error" (no database text). */
  onError?: (error: unknown, path: string) => void;
}): Promise<HealthServer> {
  const checks = options.checks ?? {};
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    void (async () => {
      if (path === '/metrics') {
        response.writeHead(200, { 'content-type': options.registry.contentType });
        response.end(await options.registry.metrics());
      } else if (path === '/healthz') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('ok\n');
      } else if (path === '/readyz') {
        const results = await Promise.all(
          Object.entries(checks).map(async ([name, check]) => [name, await Promise.resolve(check()).catch(() => false)] as const),
        );
        const failing = results.filter(([, ok]) => !ok).map(([name]) => name);
        response.writeHead(failing.length === 0 ? 200 : 503, { 'content-type': 'text/plain' });
        response.end(failing.length === 0 ? 'ok\n' : `not ready: ${failing.join(', ')}\n`);
      } else if (path === '/state' && options.state) {
        const state = await options.state(url.searchParams);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(state, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString(16) : value)));
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end(`endpoints: /metrics /healthz /readyz${options.state ? ' /state' : ''}\n`);
      }
    })().catch((error: unknown) => {
      const bad = error instanceof BadRequest;
      if (!bad) options.onError?.(error, path);
      if (!response.headersSent) response.writeHead(bad ? 400 : 500, { 'content-type': 'text/plain' });
      response.end(bad ? `${error.message}\n` : 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? DEFAULT_METRICS_HOST, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
