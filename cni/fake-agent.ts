// A real local.v1.Local gRPC server (@grpc/grpc-js with the project's
// service definition) standing in for the agent in tests.
import { Server, ServerCredentials, status as grpcStatus, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { type AttachmentRequest, type Reply, localServiceDefinition } from '../proto/local.js';

/** Answers with a Reply, or with gRPC FAILED_PRECONDITION carrying the Error's message. */
export type Handler = (request: AttachmentRequest) => Reply | Error;

export async function startLocalServer(socket: string, handler: { Register: Handler; Deregister: Handler }): Promise<Server> {
  const server = new Server();
  const unary = (fn: Handler) => (call: ServerUnaryCall<AttachmentRequest, Reply>, callback: sendUnaryData<Reply>) => {
    const out = fn(call.request);
    if (out instanceof Error) callback({ code: grpcStatus.FAILED_PRECONDITION, details: out.message });
    else callback(null, out);
  };
  server.addService(localServiceDefinition, { Register: unary(handler.Register), Deregister: unary(handler.Deregister) });
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  return server;
}
