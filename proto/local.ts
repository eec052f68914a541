// The local.v1.Local gRPC service (CNI plugin → agent) for @grpc/grpc-js,
// built from the generated static protobufjs classes: no .proto loading at
// run time, so the CNI plugin starts fast.
import { type ServiceDefinition, makeGenericClientConstructor } from '@grpc/grpc-js';
import { local } from './gen/local.js';

const pb = local.v1;

export interface AttachmentRequest {
  vpc: string;
  vpcattachment: string;
  networks: string[];
}

export interface Reply {
  confirmed: boolean;
}

function method<Req extends object, Res extends object>(
  name: string,
  request: { encode(m: Req): { finish(): Uint8Array }; decode(b: Uint8Array): Req },
  reply: { encode(m: Res): { finish(): Uint8Array }; decode(b: Uint8Array): Res },
) {
  return {
    path: `/local.v1.Local/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (m: Req) => Buffer.from(request.encode(m).finish()),
    requestDeserialize: (b: Buffer) => request.decode(b),
    responseSerialize: (m: Res) => Buffer.from(reply.encode(m).finish()),
    responseDeserialize: (b: Buffer) => reply.decode(b),
  };
}

export const localServiceDefinition = {
  Register: method<AttachmentRequest, Reply>('Register', pb.RegisterRequest, pb.RegisterReply),
  Deregister: method<AttachmentRequest, Reply>('Deregister', pb.DeregisterRequest, pb.DeregisterReply),
} satisfies ServiceDefinition;

export const LocalClient = makeGenericClientConstructor(localServiceDefinition, 'local.v1.Local');
