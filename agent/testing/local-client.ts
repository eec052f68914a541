// Test support: one call of local.v1.Local over the agent's unix socket with
// the grpc-js LocalClient (proto/local.ts).
import { type ServiceError, credentials } from '@grpc/grpc-js';
import { type AttachmentRequest, LocalClient, type Reply } from '../../proto/local.js';

type Unary = (request: AttachmentRequest, options: { deadline: number }, callback: (error: ServiceError | null, reply?: Reply) => void) => void;

/** Resolves with the reply; rejects with the grpc-js ServiceError (code, details). */
export function callLocal(socketPath: string, method: 'Register' | 'Deregister', request: AttachmentRequest, timeoutMs = 10_000): Promise<Reply> {
  const client = new LocalClient(`unix:${socketPath}`, credentials.createInsecure());
  return new Promise<Reply>((resolve, reject) => {
    (client[method] as Unary).call(client, request, { deadline: Date.now() + timeoutMs }, (error, reply) => {
      client.close();
      if (error) reject(error);
      else resolve({ confirmed: reply?.confirmed ?? false });
    });
  });
}
