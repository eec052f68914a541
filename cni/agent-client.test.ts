// The hand-written gRPC client against the real thing: a @grpc/grpc-js
// server with the project's local.v1.Local service definition.
import { type Server, status as grpcStatus } from '@grpc/grpc-js';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttachmentRequest } from '../proto/local.js';
import { local } from '../proto/gen/local.js';
import { startLocalServer } from './fake-agent.js';
import { AgentStatusError, AgentUnavailableError, callAgent, decodeAgentReply, encodeAgentRequest, pingAgent } from './agent-client.js';

describe('cni agent client', () => {
  let dir: string;
  let socket: string;
  let server: Server | undefined;
  const seen: Array<{ method: string; request: AttachmentRequest }> = [];
  const request = { vpc: '0000000004d2', vpcattachment: '002a', networks: ['10.1.1.1/32', '2001:10:1:1::1/128', '192.168.1.0/24'] };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'galactic-agent-'));
    socket = join(dir, 'agent.sock');
    seen.length = 0;
  });
  afterEach(async () => {
    server?.forceShutdown();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('encodes requests exactly like protobufjs and decodes its replies', () => {
    const ours = encodeAgentRequest(request);
    expect(Buffer.from(local.v1.RegisterRequest.encode(request).finish()).equals(ours)).to.equal(true);
    expect(local.v1.RegisterRequest.decode(ours).toJSON()).to.deep.equal(request);
    expect(encodeAgentRequest({ vpc: '', vpcattachment: '', networks: [] }).length).to.equal(0);
    const long = { ...request, networks: Array.from({ length: 40 }, (_, i) => `10.1.${i}.0/24`) }; // multi-byte lengths
    expect(Buffer.from(local.v1.DeregisterRequest.encode(long).finish()).equals(encodeAgentRequest(long))).to.equal(true);
    expect(decodeAgentReply(Buffer.from(local.v1.RegisterReply.encode({ confirmed: true }).finish()))).to.deep.equal({ confirmed: true });
    expect(decodeAgentReply(Buffer.alloc(0))).to.deep.equal({ confirmed: false });
    expect(decodeAgentReply(Buffer.from([0x08, 0x01, 0x12, 0x02, 0x61, 0x62]))).to.deep.equal({ confirmed: true }); // unknown field skipped
  });

  it('calls Register and Deregister on a grpc-js server over the unix socket', async () => {
    server = await startLocalServer(socket, {
      Register: (r) => (seen.push({ method: 'Register', request: r }), { confirmed: true }),
      Deregister: (r) => (seen.push({ method: 'Deregister', request: r }), { confirmed: false }),
    });
    expect(await callAgent(socket, 'Register', request)).to.deep.equal({ confirmed: true });
    expect(await callAgent(socket, 'Deregister', request)).to.deep.equal({ confirmed: false });
    expect(seen.map((s) => [s.method, { ...s.request }])).to.deep.equal([
      ['Register', request],
      ['Deregister', request],
    ]);
  });

  it('reports a gRPC error status with its message', async () => {
    server = await startLocalServer(socket, { Register: () => new Error('no such VRF: G0000000jU00GV'), Deregister: () => ({ confirmed: true }) });
    const error = await callAgent(socket, 'Register', request).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AgentStatusError);
    expect((error as AgentStatusError).status).to.equal(grpcStatus.FAILED_PRECONDITION);
    expect((error as Error).message).to.include('no such VRF: G0000000jU00GV');
  });

  it('reports an absent agent, a dead socket and a silent one as unavailable', async () => {
    expect(await callAgent(socket, 'Register', request).catch((e: unknown) => e)).to.be.instanceOf(AgentUnavailableError);
    expect(await pingAgent(socket).catch((e: unknown) => e)).to.be.instanceOf(AgentUnavailableError);
    const silent = createServer(() => undefined); // accepts, never speaks HTTP/2
    await new Promise<void>((resolve) => silent.listen(socket, resolve));
    try {
      const started = Date.now();
      expect(await callAgent(socket, 'Register', request, 300).catch((e: unknown) => e)).to.be.instanceOf(AgentUnavailableError);
      expect(await pingAgent(socket, 300).catch((e: unknown) => e)).to.be.instanceOf(AgentUnavailableError);
      expect(Date.now() - started).to.be.lessThan(3000);
    } finally {
      silent.close();
    }
  });

  it('pings a live agent', async () => {
    server = await startLocalServer(socket, { Register: () => ({ confirmed: true }), Deregister: () => ({ confirmed: true }) });
    expect(await pingAgent(socket)).to.be.a('number');
  });
});
