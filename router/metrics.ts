// The router's Prometheus metrics (served on --metrics-port with /healthz and /readyz).
import { Counter, Gauge, Histogram, type Registry, createRegistry } from '../lib/metrics.js';

export interface RouterMetrics {
  registry: Registry;
  registrations: Gauge;
  messages: Counter<'kind'>;
  routes: Counter<'status'>;
  rejected: Counter<'reason'>;
  quotaExceeded: Counter<'quota'>;
  storeSeconds: Histogram<'operation'>;
  repairs: Counter<'set'>;
  setAside: Counter;
  staleDropped: Counter<'kind'>;
}

export function routerMetrics(registry: Registry = createRegistry('router')): RouterMetrics {
  const registers = [registry];
  return {
    registry,
    registrations: new Gauge({ name: 'galactic_router_registrations', help: 'Registrations in the store', registers }),
    messages: new Counter({ name: 'galactic_router_messages_total', help: 'Messages handled, by kind', labelNames: ['kind'], registers }),
    routes: new Counter({ name: 'galactic_router_routes_published_total', help: 'Route messages published, by status', labelNames: ['status'], registers }),
    rejected: new Counter({
      name: 'galactic_router_rejected_messages_total',
      help: 'Messages dropped as invalid, by reason (payload, size, topic, worker, endpoint, network, kind, ownership, quota, retained)',
      labelNames: ['reason'],
      registers,
    }),
    quotaExceeded: new Counter({
      name: 'galactic_router_quota_exceeded_total',
      help: 'Messages dropped because their worker exceeded a quota (registrations stored, resync rate)',
      labelNames: ['quota'],
      registers,
    }),
    repairs: new Counter({
      name: 'galactic_router_anti_entropy_repairs_total',
      help: 'Anti-entropy repairs: full route sets sent to a worker (routes), registration sets that changed the store (registrations)',
      labelNames: ['set'],
      registers,
    }),
    setAside: new Counter({
      name: 'galactic_router_set_aside_messages_total',
      help: 'Messages set aside after their handling failed for a non-input reason (e.g. the store) a bounded number of times',
      registers,
    }),
    staleDropped: new Counter({
      name: 'galactic_router_stale_messages_dropped_total',
      help: 'Sequenced messages dropped because their worker had a newer (or the same) announcement applied: replays and reordered deliveries, by kind',
      labelNames: ['kind'],
      registers,
    }),
    storeSeconds: new Histogram({
      name: 'galactic_router_store_seconds',
      help: 'Latency of store operations (read: one query; write: one message\'s transaction)',
      labelNames: ['operation'],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
      registers,
    }),
  };
}
