// The pod admission webhook (SPEC §2). Mutating: a pod annotated with a
// VPCAttachment gets Multus' networks annotation `<attachment>@<interface>`,
// keeping networks already listed. Validating: such a pod is rejected while its
// attachment is missing or not ready. The decisions are pure; the HTTPS server
// around them reads the attachment through a lookup function.
import { readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../lib/log.js';
import {
  ATTACHMENT_ANNOTATION,
  MULTUS_NETWORKS_ANNOTATION,
  type VpcAttachment,
  interfaceNameOf,
  keyOf,
  readyCondition,
} from './model.js';
import { isReady } from './status.js';

export interface PodLike {
  metadata?: { name?: string; generateName?: string; namespace?: string; annotations?: Record<string, string> };
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
}

/**
 * Adds `<name>@<iface>` to a Multus networks annotation (comma list or JSON
 * list), unless the pod already lists that network in its namespace.
 */
export function mergeNetworks(existing: string | undefined, podNamespace: string, name: string, iface: string): string {
  const text = existing?.trim() ?? '';
  const isOurs = (entry: MultusEntry) => entry.name === name && (entry.namespace === undefined || entry.namespace === podNamespace);
  if (text.startsWith('[')) {
    const entries = JSON.parse(text) as MultusEntry[];
    if (entries.some(isOurs)) return existing!;
    return JSON.stringify([...entries, { name, interface: iface }]);
  }
  const entries = text === '' ? [] : text.split(',').map((entry) => entry.trim()).filter(Boolean);
  const parsed = entries.map((entry): MultusEntry => {
    const [ref = '', ifname] = entry.split('@');
    const slash = ref.indexOf('/');
    return slash < 0 ? { name: ref, interface: ifname } : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1), interface: ifname };
  });
  if (parsed.some(isOurs)) return existing!;
  return [...entries, `${name}@${iface}`].join(', ');
}

const escapePointer = (segment: string): string => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** Mutating decision: always allows; adds the Multus annotation when the attachment exists. */
export function mutatePod(pod: PodLike, namespace: string, attachment: VpcAttachment | undefined): Decision {
  const name = requestedAttachment(pod);
  if (name === undefined || !attachment) return { allowed: true };
  const annotations = pod.metadata?.annotations ?? {};
  const value = mergeNetworks(annotations[MULTUS_NETWORKS_ANNOTATION], namespace, name, interfaceNameOf(attachment));
  if (value === annotations[MULTUS_NETWORKS_ANNOTATION]) return { allowed: true };
  const op = MULTUS_NETWORKS_ANNOTATION in annotations ? 'replace' : 'add';
  return { allowed: true, patch: [{ op, path: `/metadata/annotations/${escapePointer(MULTUS_NETWORKS_ANNOTATION)}`, value }] };
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
  object?: PodLike;
}

export type AttachmentLookup = (namespace: string, name: string) => Promise<VpcAttachment | undefined>;

export interface WebhookServerOptions {
  host: string;
  port: number;
  certFile: string;
  keyFile: string;
  lookup: AttachmentLookup;
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

async function decide(path: string, request: AdmissionRequest, lookup: AttachmentLookup): Promise<Decision> {
  const pod = request.object ?? {};
  const namespace = request.namespace || pod.metadata?.namespace || 'default';
  const name = requestedAttachment(pod);
  const attachment = name && NAME_PATTERN.test(name) ? await lookup(namespace, name) : undefined;
  return path === MUTATE_PATH ? mutatePod(pod, namespace, attachment) : validatePod(pod, namespace, attachment);
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
          const decision = await decide(path, review.request, options.lookup);
          const pod = review.request.object?.metadata;
          options.logger.info(path === MUTATE_PATH ? 'pod mutation' : 'pod validation', {
            key: keyOf({ namespace: review.request.namespace ?? '', name: pod?.name ?? pod?.generateName ?? '' }),
            allowed: decision.allowed,
            ...(decision.message ? { message: decision.message } : {}),
            ...(decision.patch ? { patched: true } : {}),
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
