// Test support run *inside* the kernel harness (bundled by agent.vrf.test.ts
// with esbuild, started with node in the guest), where the test process
// cannot reach sockets directly:
//
//   peer-tool watch <mqtt url> <fifo>
//     prints every remote.v1 message on galactic/# as a JSON line
//     {"topic","message"}, and publishes each JSON line written to <fifo>:
//     {"topic", "message": Message} or {"topic", "hex": "<raw bytes>"}.
//   peer-tool call <socket> Register|Deregister <vpc> <vpcattachment> [network...]
//     one local.v1.Local call; prints {"reply"} or {"error":{code,details}}.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import mqtt from 'mqtt';
import { type Message, decodeMessage, encodeMessage } from '../../proto/remote.js';
import { callLocal } from './local-client.js';

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

async function watch(url: string, fifo: string): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 200 });
  client.on('message', (topic, payload) => {
    try {
      print({ topic, message: decodeMessage(payload) });
    } catch {
      print({ topic, hex: payload.toString('hex') });
    }
  });
  await client.subscribeAsync('galactic/#', { qos: 1 });
  print({ ready: true });
  // Opened read-write: the FIFO then never reaches EOF between writers, so a
  // line written while a reader would be reopening it cannot be lost.
  const lines = createInterface({ input: createReadStream(fifo, { flags: 'r+' }) });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const command = JSON.parse(line) as { topic: string; message?: Message; hex?: string };
    const payload = command.message ? Buffer.from(encodeMessage(command.message)) : Buffer.from(command.hex ?? '', 'hex');
    await client.publishAsync(command.topic, payload, { qos: 1 });
    print({ published: command.topic });
  }
}

async function call(socket: string, method: string, vpc: string, vpcattachment: string, networks: string[]): Promise<number> {
  if (method !== 'Register' && method !== 'Deregister') throw new Error(`unknown method ${method}`);
  try {
    print({ reply: await callLocal(socket, method, { vpc, vpcattachment, networks }, 60_000) });
    return 0;
  } catch (error) {
    const { code, details } = error as { code?: number; details?: string };
    print({ error: { code, details } });
    return 1;
  }
}

async function main([mode, ...args]: string[]): Promise<number> {
  if (mode === 'watch') {
    await watch(args[0]!, args[1]!);
    return 0;
  }
  if (mode === 'call') return call(args[0]!, args[1]!, args[2]!, args[3]!, args.slice(4));
  process.stderr.write('usage: peer-tool watch URL FIFO | call SOCKET METHOD VPC ATT [NETWORK...]\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`peer-tool: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
