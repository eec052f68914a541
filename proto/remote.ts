// Typed view of the remote.v1 wire format: a discriminated union instead of
// protobufjs's optional-field objects, with decode errors that say what broke.
import type Long from 'long';
import { remote } from './gen/remote.js';

const pb = remote.v1;

export type RouteStatus = 'ADD' | 'DELETE';

export type Message =
  | ({ kind: 'register'; network: string; srv6Endpoint: string } & Sequenced)
  | ({ kind: 'deregister'; network: string; srv6Endpoint: string } & Sequenced)
  | { kind: 'route'; network: string; srv6Endpoint: string; srv6Segments: string[]; status: RouteStatus }
  | { kind: 'resync'; requestId: string }
  | { kind: 'resyncComplete'; requestId: string; routes: number }
  | ({ kind: 'summary' } & SummaryFields)
  | ({ kind: 'summaryReply' } & SummaryFields)
  | ({ kind: 'registrationSet'; setId: string; part: number; parts: number; registrations: SetRegistration[] } & Sequenced)
  | { kind: 'routeSet'; requestId: string; part: number; parts: number; routes: SetRoute[] }
  | { kind: 'summaryRequest' };

/** The announcement order of a worker's message (remote.proto, Envelope.sequence); absent from original agents. */
export interface Sequenced {
  sequence?: number;
}

/** A count and digest of one set (lib/anti-entropy.ts). */
export interface SetSummary {
  count: number;
  digest: string;
}

export interface SummaryFields {
  requestId: string;
  registrations: SetSummary;
  routes: SetSummary;
  /** summary_reply: the highest announcement sequence applied for the worker, if any. */
  appliedSequence?: number;
}

export interface SetRegistration {
  network: string;
  srv6Endpoint: string;
}

export interface SetRoute {
  network: string;
  srv6Endpoint: string;
  srv6Segments: string[];
}

export type RouteMessage = Extract<Message, { kind: 'route' }>;

export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

export function encodeMessage(message: Message): Uint8Array {
  switch (message.kind) {
    case 'register':
      return pb.Envelope.encode({ register: { network: message.network, srv6Endpoint: message.srv6Endpoint }, ...sequenceField('sequence', message.sequence) }).finish();
    case 'deregister':
      return pb.Envelope.encode({ deregister: { network: message.network, srv6Endpoint: message.srv6Endpoint }, ...sequenceField('sequence', message.sequence) }).finish();
    case 'route':
      return pb.Envelope.encode({
        route: {
          network: message.network,
          srv6Endpoint: message.srv6Endpoint,
          srv6Segments: message.srv6Segments,
          status: message.status === 'ADD' ? pb.Route.Status.ADD : pb.Route.Status.DELETE,
        },
      }).finish();
    case 'resync':
      return pb.Envelope.encode({ resync: { requestId: message.requestId } }).finish();
    case 'resyncComplete':
      return pb.Envelope.encode({ resyncComplete: { requestId: message.requestId, routes: message.routes } }).finish();
    case 'summary':
      return pb.Envelope.encode({ summary: summaryFields(message) }).finish();
    case 'summaryReply':
      return pb.Envelope.encode({ summaryReply: summaryFields(message) }).finish();
    case 'registrationSet':
      return pb.Envelope.encode({
        registrationSet: { setId: message.setId, part: message.part, parts: message.parts, registrations: message.registrations.map((r) => ({ network: r.network, srv6Endpoint: r.srv6Endpoint })) },
        ...sequenceField('sequence', message.sequence),
      }).finish();
    case 'routeSet':
      return pb.Envelope.encode({
        routeSet: {
          requestId: message.requestId,
          part: message.part,
          parts: message.parts,
          routes: message.routes.map((r) => ({ network: r.network, srv6Endpoint: r.srv6Endpoint, srv6Segments: r.srv6Segments, status: pb.Route.Status.ADD })),
        },
      }).finish();
    case 'summaryRequest':
      return pb.Envelope.encode({ summaryRequest: {} }).finish();
  }
}

/** An announcement sequence field (Envelope.sequence, Summary.applied_sequence) when set: proto3 leaves 0 off the wire. */
function sequenceField<K extends string>(name: K, value: number | undefined): Partial<Record<K, number>> {
  if (value === undefined || value === 0) return {};
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} ${value} is not an integer in 0..2^53-1`);
  return { [name]: value } as Partial<Record<K, number>>;
}

/** A uint64 sequence field as a number; 0 (unset) is none. Beyond 2^53 it is refused (our agents stay far below). */
function decodeSequenceField<K extends string>(name: K, value: number | Long | null | undefined): Partial<Record<K, number>> {
  if (value === null || value === undefined) return {};
  const number = typeof value === 'number' ? value : value.toNumber();
  if (!Number.isSafeInteger(number)) throw new WireFormatError(`${name} ${value.toString()} is beyond 2^53`);
  return sequenceField(name, number);
}

const summaryFields = (message: SummaryFields): remote.v1.ISummary => ({
  requestId: message.requestId,
  registrationsCount: message.registrations.count,
  registrationsDigest: message.registrations.digest,
  routesCount: message.routes.count,
  routesDigest: message.routes.digest,
  ...sequenceField('appliedSequence', message.appliedSequence),
});

const decodeSummary = (summary: remote.v1.ISummary | null | undefined): SummaryFields => ({
  requestId: text(summary?.requestId),
  registrations: { count: summary?.registrationsCount ?? 0, digest: text(summary?.registrationsDigest) },
  routes: { count: summary?.routesCount ?? 0, digest: text(summary?.routesDigest) },
  ...decodeSequenceField('appliedSequence', summary?.appliedSequence),
});

/** Bounds what a receiver reserves for one set in assembly (4,096 parts of 256 items: a million). */
export const MAX_SET_PARTS = 4096;

/** part/parts of a chunked set; throws for a part outside 0..parts-1 or too many parts. */
function setPart(kind: string, part: number | null | undefined, parts: number | null | undefined): { part: number; parts: number } {
  const p = part ?? 0;
  const n = parts ?? 0;
  if (n < 1 || n > MAX_SET_PARTS || p >= n) throw new WireFormatError(`${kind} has part ${p} of ${n} (parts must be 1..${MAX_SET_PARTS}, part < parts)`);
  return { part: p, parts: n };
}

// proto3 strings default to empty; protobufjs's types allow null/undefined.
const text = (value: string | null | undefined): string => value ?? '';

/** Decodes an Envelope; throws WireFormatError for bytes that are not one, or carry no known member. */
export function decodeMessage(bytes: Uint8Array): Message {
  let envelope: remote.v1.Envelope;
  try {
    envelope = pb.Envelope.decode(bytes);
  } catch (error) {
    throw new WireFormatError(`payload is not a remote.v1.Envelope: ${(error as Error).message}`);
  }
  switch (envelope.kind) {
    case 'register':
      return { kind: 'register', network: text(envelope.register?.network), srv6Endpoint: text(envelope.register?.srv6Endpoint), ...decodeSequenceField('sequence', envelope.sequence) };
    case 'deregister':
      return { kind: 'deregister', network: text(envelope.deregister?.network), srv6Endpoint: text(envelope.deregister?.srv6Endpoint), ...decodeSequenceField('sequence', envelope.sequence) };
    case 'route': {
      const route = envelope.route!;
      const status = route.status === pb.Route.Status.DELETE ? 'DELETE' : route.status === pb.Route.Status.ADD ? 'ADD' : undefined;
      if (status === undefined) throw new WireFormatError(`route has unknown status ${String(route.status)}`);
      return { kind: 'route', network: text(route.network), srv6Endpoint: text(route.srv6Endpoint), srv6Segments: [...(route.srv6Segments ?? [])], status };
    }
    case 'resync':
      return { kind: 'resync', requestId: text(envelope.resync?.requestId) };
    case 'resyncComplete':
      return { kind: 'resyncComplete', requestId: text(envelope.resyncComplete?.requestId), routes: envelope.resyncComplete?.routes ?? 0 };
    case 'summary':
      return { kind: 'summary', ...decodeSummary(envelope.summary) };
    case 'summaryReply':
      return { kind: 'summaryReply', ...decodeSummary(envelope.summaryReply) };
    case 'registrationSet': {
      const set = envelope.registrationSet!;
      return {
        kind: 'registrationSet',
        setId: text(set.setId),
        ...setPart('registration_set', set.part, set.parts),
        registrations: (set.registrations ?? []).map((r) => ({ network: text(r.network), srv6Endpoint: text(r.srv6Endpoint) })),
        ...decodeSequenceField('sequence', envelope.sequence),
      };
    }
    case 'routeSet': {
      const set = envelope.routeSet!;
      return {
        kind: 'routeSet',
        requestId: text(set.requestId),
        ...setPart('route_set', set.part, set.parts),
        routes: (set.routes ?? []).map((r) => ({ network: text(r.network), srv6Endpoint: text(r.srv6Endpoint), srv6Segments: [...(r.srv6Segments ?? [])] })),
      };
    }
    case 'summaryRequest':
      return { kind: 'summaryRequest' };
    default:
      throw new WireFormatError(
        'envelope carries no known message (register, deregister, route, resync, resync_complete, summary, summary_reply, registration_set, route_set, summary_request)',
      );
  }
}
