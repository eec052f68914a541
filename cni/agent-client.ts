// The CNI side of local.v1.Local (proto/local.proto) as a minimal gRPC
// unary client on node:http2 over the agent's unix socket. The plugin starts
// once per pod, so it does not load @grpc/grpc-js and protobufjs (tens of
// milliseconds of start-up); the messages are three strings and a bool,
// encoded here by hand. Interoperability with the real grpc-js server is
// tested in agent-client.test.ts.
import type { ClientHttp2Session } from 'node:http2';

export interface AgentRequest {
  vpc: string;
  vpcattachment: string;
  networks: string[];
}

/** The agent could not be reached or did not answer in time: transient. */
export class AgentUnavailableError extends Error {
  override name = 'AgentUnavailableError';
}

/** The agent answered with a gRPC error status. */
export class AgentStatusError extends Error {
  override name = 'AgentStatusError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// ---- protobuf wire format (the subset local.proto needs) ----

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

function stringField(field: number, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(bytes.length)]), bytes]);
}

/** RegisterRequest / DeregisterRequest: vpc = 1, vpcattachment = 2, repeated networks = 3 (proto3: empty strings omitted). */
export function encodeAgentRequest(request: AgentRequest): Buffer {
  const parts: Buffer[] = [];
  if (request.vpc !== '') parts.push(stringField(1, request.vpc));
  if (request.vpcattachment !== '') parts.push(stringField(2, request.vpcattachment));
  for (const network of request.networks) parts.push(stringField(3, network));
  return Buffer.concat(parts);
}

function readVarint(buf: Buffer, offset: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let pos = offset;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

/** RegisterReply / DeregisterReply: confirmed = 1 (bool); unknown fields skipped. */
export function decodeAgentReply(buf: Buffer): { confirmed: boolean } {
  let confirmed = false;
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    pos = afterTag;
    if (wire === 0) {
      const [value, next] = readVarint(buf, pos);
      if (field === 1) confirmed = value !== 0;
      pos = next;
    } else if (wire === 2) {
      const [length, next] = readVarint(buf, pos);
      pos = next + length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  if (pos !== buf.length) throw new Error('truncated message');
  return { confirmed };
}

// ---- gRPC over HTTP/2 ----

// node:http2 and node:net are loaded on first use (a few ms of start-up that
// VERSION and config errors never need); ADD warms them while ip(8) runs.
type Http2 = typeof import('node:http2');
type Net = typeof import('node:net');
let modules: Promise<{ http2: Http2; net: Net }> | undefined;

/** Loads the modules the client needs; call early to overlap the load with other work. */
export function warmAgentClient(): Promise<{ http2: Http2; net: Net }> {
  modules ??= Promise.all([import('node:http2'), import('node:net')]).then(([http2, net]) => ({ http2, net }));
  return modules;
}

function frame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0); // not compressed
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

async function openSession(socketPath: string): Promise<{ session: ClientHttp2Session; constants: Http2['constants'] }> {
  const { http2, net } = await warmAgentClient();
  return { session: http2.connect('http://localhost', { createConnection: () => net.connect(socketPath) }), constants: http2.constants };
}

/**
 * How long ADD/DEL wait for the agent: it answers once the kernel holds the
 * ingress route, which on a loaded node can take seconds; the runtime's own
 * CNI timeout is minutes.
 */
export const AGENT_CALL_TIMEOUT_MS = 30_000;

/** One unary call of local.v1.Local. */
export async function callAgent(socketPath: string, method: 'Register' | 'Deregister', request: AgentRequest, timeoutMs = AGENT_CALL_TIMEOUT_MS): Promise<{ confirmed: boolean }> {
  const { session, constants } = await openSession(socketPath);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, value?: { confirmed: boolean }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.close();
      session.destroy();
      if (error) reject(error);
      else resolve(value!);
    };
    const timer = setTimeout(
      () => finish(new AgentUnavailableError(`no answer to ${method} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // Any transport failure (no socket, refused, reset) leaves the outcome unknown: transient.
    const fail = (error: Error): void => finish(new AgentUnavailableError(error.message));
    session.on('error', fail);
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: `/local.v1.Local/${method}`,
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      te: 'trailers',
      'grpc-timeout': `${timeoutMs}m`,
    });
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let statusMessage = '';
    const takeStatus = (headers: Record<string, unknown>): void => {
      if (headers['grpc-status'] !== undefined) {
        status = String(headers['grpc-status']);
        statusMessage = decodeURIComponent(String(headers['grpc-message'] ?? ''));
      }
    };
    stream.on('response', (headers: Record<string, unknown>) => {
      const httpStatus = Number(headers[constants.HTTP2_HEADER_STATUS]);
      if (httpStatus !== 200) {
        finish(new AgentStatusError(2, `${socketPath} answered HTTP ${httpStatus}, not gRPC`));
        return;
      }
      takeStatus(headers);
    });
    stream.on('trailers', takeStatus);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', fail);
    stream.on('end', () => {
      if (status === undefined) return finish(new AgentUnavailableError(`${method} ended without a gRPC status`));
      if (status !== '0') return finish(new AgentStatusError(Number(status), `agent ${method} failed: gRPC status ${status}${statusMessage ? `: ${statusMessage}` : ''}`));
      const body = Buffer.concat(chunks);
      try {
        if (body.length < 5) throw new Error('empty response');
        if (body.readUInt8(0) !== 0) throw new Error('compressed response');
        const length = body.readUInt32BE(1);
        finish(undefined, decodeAgentReply(body.subarray(5, 5 + length)));
      } catch (error) {
        finish(new AgentStatusError(13, `agent ${method} reply unreadable: ${(error as Error).message}`));
      }
    });
    stream.end(frame(encodeAgentRequest(request)));
  });
}

/** Resolves once an HTTP/2 server on the socket answers a PING; rejects with AgentUnavailableError otherwise. */
export async function pingAgent(socketPath: string, timeoutMs = 2000): Promise<number> {
  const { session } = await openSession(socketPath);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, ms = 0): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      if (error) reject(error);
      else resolve(ms);
    };
    const timer = setTimeout(() => finish(new AgentUnavailableError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    session.on('error', (error: Error) => finish(new AgentUnavailableError(error.message)));
    session.on('connect', () => {
      session.ping((error, duration) => finish(error ? new AgentUnavailableError(`no answer to a ping: ${error.message}`) : undefined, duration));
    });
  });
}
