// The stand-in agent as a process (for the kernel harness, where the plugin
// runs in the guest), bundled by kernel-fixture.ts and run as
// `node fake-agent.cjs SOCKET`.
// Prints `listening`, then one JSON line per call; refuses Register of the
// attachment (hex) in REFUSE_ATTACHMENT.
import { rmSync } from 'node:fs';
import type { AttachmentRequest } from '../proto/local.js';
import { startLocalServer } from './fake-agent.js';

const [socket] = process.argv.slice(2);
if (!socket) throw new Error('usage: fake-agent-main.ts SOCKET');
const refuse = process.env.REFUSE_ATTACHMENT;
const record = (method: string, request: AttachmentRequest): void => {
  process.stdout.write(`${JSON.stringify({ method, vpc: request.vpc, vpcattachment: request.vpcattachment, networks: request.networks })}\n`);
};
rmSync(socket, { force: true });
startLocalServer(socket, {
  Register: (request) => {
    record('Register', request);
    return { confirmed: request.vpcattachment !== refuse };
  },
  Deregister: (request) => {
    record('Deregister', request);
    return { confirmed: true };
  },
}).then(
  () => process.stdout.write('listening\n'),
  (error: unknown) => {
    process.stderr.write(`fake agent: ${String(error)}\n`);
    process.exit(1);
  },
);
