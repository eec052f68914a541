// local.v1.Local on the agent's unix socket (mode 0600, in a directory the
// agent creates with mode 0700): the CNI plugin's Register and Deregister.
// Handlers throw LocalCallError to answer with a gRPC status; anything else
// is INTERNAL.
import { chmod, rm } from 'node:fs/promises';
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData, status } from '@grpc/grpc-js';
import type { Logger } from '../lib/log.js';
import { type AttachmentRequest, type Reply, localServiceDefinition } from '../proto/local.js';
import { makePrivateDirectoryFor } from './private-dir.js';

export class LocalCallError extends Error {
  override name = 'LocalCallError';
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export interface LocalHandlers {
  register(request: AttachmentRequest, deadline: Date | undefined): Promise<void>;
  deregister(request: AttachmentRequest, deadline: Date | undefined): Promise<void>;
}

export interface LocalServer {
  close(): Promise<void>;
}

function deadlineOf(call: ServerUnaryCall<AttachmentRequest, Reply>): Date | undefined {
  const deadline = call.getDeadline();
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
}

/** Serves local.v1.Local on `socketPath`; a stale socket file is replaced. */
export async function startLocalServer(socketPath: string, handlers: LocalHandlers, logger: Logger): Promise<LocalServer> {
  const server = new Server();
  const handle =
    (name: 'Register' | 'Deregister', run: LocalHandlers['register']) =>
    (call: ServerUnaryCall<AttachmentRequest, Reply>, callback: sendUnaryData<Reply>): void => {
      const request = { vpc: call.request.vpc ?? '', vpcattachment: call.request.vpcattachment ?? '', networks: [...(call.request.networks ?? [])] };
      run(request, deadlineOf(call)).then(
        () => callback(null, { confirmed: true }),
        (error: unknown) => {
          const code = error instanceof LocalCallError ? error.code : status.INTERNAL;
          const message = error instanceof Error ? error.message : String(error);
          logger.warn(`${name} failed`, { ...request, code: status[code], error: message });
          callback({ code, details: message });
        },
      );
    };
  server.addService(localServiceDefinition, {
    Register: handle('Register', (r, d) => handlers.register(r, d)),
    Deregister: handle('Deregister', (r, d) => handlers.deregister(r, d)),
  });
  await makePrivateDirectoryFor(socketPath);
  await rm(socketPath, { force: true });
  // The socket is created with the umask's mode: no moment where others may connect.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.bindAsync(`unix:${socketPath}`, ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve()));
    });
  } finally {
    process.umask(umask);
  }
  await chmod(socketPath, 0o600);
  logger.info('gRPC local.v1.Local listening', { socket: socketPath });
  return {
    close: async () => {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await rm(socketPath, { force: true });
    },
  };
}
