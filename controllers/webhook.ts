// The pod admission webhook (SPEC §2). Mutating: a pod annotated with a
// VPCAttachment gets Multus' networks annotation `<attachment>@<interface>`,
// keeping networks already listed. Validating: such a pod is rejected while its
// attachment is missing or not ready. The decisions are pure; the HTTPS server
// around them reads the attachment through a lookup function.
import { readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../lib/log.js';
import { hexToBase62 } from '../lib/identifiers.js';
import {
  ATTACHMENT_ANNOTATION,
  CLAIM_LABEL,
  MULTUS_NETWORKS_ANNOTATION,
  type OwnerReference,
  type VpcAttachment,
  interfaceNameOf,
  keyOf,
  poolsOf,
  readyCondition,
} from './model.js';
import { type Allocation, AllocationRefused, type PodRef } from './reservations.js';
import { isReady } from './status.js';

export interface PodLike {
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
}

export type JsonPatchOp = { op: 'add' | 'replace'; path: string; value: unknown };

export interface Decision {
  allowed: boolean;
  message?: string;
  patch?: JsonPatchOp[];
}

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The attachment a pod asks for, if it carries the annotation. */
export const requestedAttachment = (pod: PodLike): string | undefined => pod.metadata?.annotations?.[ATTACHMENT_ANNOTATION];

interface MultusEntry {
  name: string;
  namespace?: string;
  interface?: string;
  ips?: string[];
  'cni-args'?: Record<string, unknown>;
}

/** The entries of a Multus networks annotation in either form (comma list or JSON list). */
function parseNetworks(text: string): MultusEntry[] {
  if (text.startsWith('[')) return JSON.parse(text) as MultusEntry[];
  const entries = text === '' ? [] : text.split(',').map((entry) => entry.trim()).filter(Boolean);
  return entries.map((entry): MultusEntry => {
    const [ref = '', ifname] = entry.split('@');
    const slash = ref.indexOf('/');
    const named = slash < 0 ? { name: ref } : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
    return { ...named, ...(ifname ? { interface: ifname } : {}) };
  });
}

const listsNetwork = (entries: MultusEntry[], podNamespace: string, name: string): boolean =>
  entries.some((entry) => entry.name === name && (entry.namespace === undefined || entry.namespace === podNamespace));

/**
 * Adds `<name>@<iface>` to a Multus networks annotation (comma list or JSON
 * list), unless the pod already lists that network in its namespace.
 */
export function mergeNetworks(existing: string | undefined, podNamespace: string, name: string, iface: string): string {
  const text = existing?.trim() ?? '';
  if (listsNetwork(parseNetworks(text), podNamespace, name)) return existing!;
  if (text.startsWith('[')) return JSON.stringify([...parseNetworks(text), { name, interface: iface }]);
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  return [...entries, `${name}@${iface}`].join(', ');
}

/**
 * Adds a pool attachment's network with the pod's allocation: Multus hands
 * `ips` to the static IPAM (runtimeConfig.ips) and `cni-args` to our plugin
 * (args.cni). Needs the JSON form, so a comma list is converted.
 */
export function mergeAllocatedNetwork(existing: string | undefined, name: string, iface: string, allocation: Allocation): string {
  const entries = parseNetworks(existing?.trim() ?? '');
  const entry: MultusEntry = { name, interface: iface, ips: allocation.addresses, 'cni-args': { vpcattachment: hexToBase62(allocation.endpoint) } };
  return JSON.stringify([...entries, entry]);
}

const escapePointer = (segment: string): string => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** Whether the pod already lists its attachment's network (a re-invoked mutation changes nothing). */
export function listsAttachment(pod: PodLike, namespace: string): boolean {
  const name = requestedAttachment(pod);
  const networks = pod.metadata?.annotations?.[MULTUS_NETWORKS_ANNOTATION]?.trim() ?? '';
  return name !== undefined && listsNetwork(parseNetworks(networks), namespace, name);
}

/**
 * Mutating decision: adds the Multus annotation when the attachment exists;
 * for a pool attachment with the pod's allocation (addresses, endpoint
 * identifier, and the claim label that links the pod to its reservations).
 */
export function mutatePod(pod: PodLike, namespace: string, attachment: VpcAttachment | undefined, allocation?: Allocation): Decision {
  const name = requestedAttachment(pod);
  if (name === undefined || !attachment) return { allowed: true };
  const annotations = pod.metadata?.annotations ?? {};
  const iface = interfaceNameOf(attachment);
  const value = allocation
    ? mergeAllocatedNetwork(annotations[MULTUS_NETWORKS_ANNOTATION], name, iface, allocation)
    : mergeNetworks(annotations[MULTUS_NETWORKS_ANNOTATION], namespace, name, iface);
  if (value === annotations[MULTUS_NETWORKS_ANNOTATION]) return { allowed: true };
  const op = MULTUS_NETWORKS_ANNOTATION in annotations ? 'replace' : 'add';
  const patch: JsonPatchOp[] = [{ op, path: `/metadata/annotations/${escapePointer(MULTUS_NETWORKS_ANNOTATION)}`, value }];
  if (allocation) {
    patch.push(
      pod.metadata?.labels
        ? { op: 'add', path: `/metadata/labels/${escapePointer(CLAIM_LABEL)}`, value: allocation.claim }
        : { op: 'add', path: '/metadata/labels', value: { [CLAIM_LABEL]: allocation.claim } },
    );
  }
  return { allowed: true, patch };
}

/** Validating decision: rejects an annotated pod whose attachment is missing or not ready. */
export function validatePod(pod: PodLike, namespace: string, attachment: VpcAttachment | undefined): Decision {
  const name = requestedAttachment(pod);
  if (name === undefined) return { allowed: true };
  if (!NAME_PATTERN.test(name)) {
    return { allowed: false, message: `annotation ${ATTACHMENT_ANNOTATION}: ${JSON.stringify(name)} is not a VPCAttachment name` };
  }
  const key = keyOf({ namespace, name });
  if (!attachment) {
    return { allowed: false, message: `VPCAttachment ${key} not found (named by the pod's annotation ${ATTACHMENT_ANNOTATION})` };
  }
  if (!isReady(attachment.status)) {
    const why = readyCondition(attachment.status);
    const detail = why ? `${why.reason}: ${why.message}` : 'the operator has not processed it yet';
    return { allowed: false, message: `VPCAttachment ${key} is not ready (${detail})` };
  }
  return { allowed: true };
}

// --- HTTPS server -----------------------------------------------------------

export interface AdmissionRequest {
  uid: string;
  namespace?: string;
  operation?: string;
  dryRun?: boolean;
  object?: PodLike;
}

export type AttachmentLookup = (namespace: string, name: string) => Promise<VpcAttachment | undefined>;
/** Reserves a pod's addresses and endpoint identifier (throws AllocationRefused with the user's message). */
export type PodAllocate = (pod: PodRef, attachment: VpcAttachment) => Promise<Allocation>;

export interface WebhookServerOptions {
  host: string;
  port: number;
  certFile: string;
  keyFile: string;
  lookup: AttachmentLookup;
  /** Allocation for pool attachments; without it such pods are rejected. */
  allocate?: PodAllocate;
  logger: Logger;
  /** How often to look for a renewed certificate (cert-manager rotates it). Default 60 s. */
  certCheckIntervalMs?: number;
}

export interface WebhookServer {
  port: number;
  close(): Promise<void>;
}

export const MUTATE_PATH = '/mutate-pods';
export const VALIDATE_PATH = '/validate-pods';

/** The AdmissionReview (admission.k8s.io/v1) answering `request` with `decision`. */
export function admissionResponse(uid: string, decision: Decision): object {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid,
      allowed: decision.allowed,
      ...(decision.message ? { status: { code: decision.allowed ? 200 : 403, message: decision.message } } : {}),
      ...(decision.patch ? { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(decision.patch)).toString('base64') } : {}),
    },
  };
}

async function decide(path: string, request: AdmissionRequest, lookup: AttachmentLookup, allocate?: PodAllocate): Promise<Decision> {
  const pod = request.object ?? {};
  const namespace = request.namespace || pod.metadata?.namespace || 'default';
  const name = requestedAttachment(pod);
  const attachment = name && NAME_PATTERN.test(name) ? await lookup(namespace, name) : undefined;
  if (path !== MUTATE_PATH) return validatePod(pod, namespace, attachment);
  // A pool attachment's pod gets its allocation here, once: not on dry runs,
  // not when re-invoked (the network is listed already), not while the
  // attachment is not ready (the validating webhook rejects the pod then).
  const needsAllocation = !!attachment && poolsOf(attachment).length > 0 && isReady(attachment.status) && !request.dryRun && !listsAttachment(pod, namespace);
  if (!needsAllocation) return mutatePod(pod, namespace, attachment);
  if (!allocate) return { allowed: false, message: `VPCAttachment ${keyOf({ namespace, name: name! })} has pools, and this operator does not allocate` };
  try {
    const meta = pod.metadata ?? {};
    const allocation = await allocate({ namespace, name: meta.name ?? '', ...(meta.ownerReferences ? { ownerReferences: meta.ownerReferences } : {}) }, attachment);
    return mutatePod(pod, namespace, attachment, allocation);
  } catch (error) {
    if (error instanceof AllocationRefused) return { allowed: false, message: error.message };
    throw error;
  }
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const readTls = () => ({ cert: readFileSync(options.certFile), key: readFileSync(options.keyFile) });
  const mtime = () => Math.max(statSync(options.certFile).mtimeMs, statSync(options.keyFile).mtimeMs);
  let loadedAt = mtime();
  const server = https.createServer(readTls(), (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || (path !== MUTATE_PATH && path !== VALIDATE_PATH)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`POST ${MUTATE_PATH} or ${VALIDATE_PATH}\n`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        let uid = '';
        try {
          const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request?: AdmissionRequest };
          if (!review.request) throw new Error('AdmissionReview without request');
          uid = review.request.uid;
          const started = performance.now();
          const decision = await decide(path, review.request, options.lookup, options.allocate);
          const pod = review.request.object?.metadata;
          options.logger.info(path === MUTATE_PATH ? 'pod mutation' : 'pod validation', {
            key: keyOf({ namespace: review.request.namespace ?? '', name: pod?.name ?? pod?.generateName ?? '' }),
            allowed: decision.allowed,
            ...(decision.message ? { message: decision.message } : {}),
            ...(decision.patch ? { patched: true } : {}),
            ms: Math.round(performance.now() - started),
          });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(admissionResponse(uid, decision)));
        } catch (error) {
          options.logger.error('admission request failed', { path, error });
          const body = admissionResponse(uid, { allowed: false, message: `galactic webhook: ${(error as Error).message}` });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        }
      })();
    });
  });
  // The API server reuses idle connections for up to 90 s; if we closed them
  // first (Node's default: 5 s), a request racing the close fails the pod's
  // admission with "broken pipe".
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const certTimer = setInterval(() => {
    try {
      const changed = mtime();
      if (changed === loadedAt) return;
      server.setSecureContext(readTls());
      loadedAt = changed;
      options.logger.info('webhook certificate reloaded', { certFile: options.certFile });
    } catch (error) {
      options.logger.warn('cannot reload the webhook certificate', { error });
    }
  }, options.certCheckIntervalMs ?? 60_000);
  certTimer.unref();
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(certTimer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
