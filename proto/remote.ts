// Typed view of the remote.v1 wire format: a discriminated union instead of
// protobufjs's optional-field objects, with decode errors that say what broke.
import { remote } from './gen/remote.js';

const pb = remote.v1;

export type RouteStatus = 'ADD' | 'DELETE';

export type Message =
  | { kind: 'register'; network: string; srv6Endpoint: string }
  | { kind: 'deregister'; network: string; srv6Endpoint: string }
  | { kind: 'route'; network: string; srv6Endpoint: string; srv6Segments: string[]; status: RouteStatus }
  | { kind: 'resync'; requestId: string }
  | { kind: 'resyncComplete'; requestId: string; routes: number };

export type RouteMessage = Extract<Message, { kind: 'route' }>;

export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

export function encodeMessage(message: Message): Uint8Array {
  switch (message.kind) {
    case 'register':
      return pb.Envelope.encode({ register: { network: message.network, srv6Endpoint: message.srv6Endpoint } }).finish();
    case 'deregister':
      return pb.Envelope.encode({ deregister: { network: message.network, srv6Endpoint: message.srv6Endpoint } }).finish();
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
  }
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
      return { kind: 'register', network: text(envelope.register?.network), srv6Endpoint: text(envelope.register?.srv6Endpoint) };
    case 'deregister':
      return { kind: 'deregister', network: text(envelope.deregister?.network), srv6Endpoint: text(envelope.deregister?.srv6Endpoint) };
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
    default:
      throw new WireFormatError('envelope carries no known message (register, deregister, route, resync, resync_complete)');
  }
}
