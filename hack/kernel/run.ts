// Runs one command on a VRF-capable kernel and exits with its status:
//   node --import tsx hack/kernel/run.ts [--cwd DIR] -- command args...
// GALACTIC_KERNEL_LOG=1 also prints the guest console on stderr.
import { startKernelHost } from './index.js';

function parseArgs(args: string[]): { cwd: string; argv: string[] } {
  let cwd = process.cwd();
  while (args[0] !== undefined && args[0] !== '--') {
    const [flag, value] = args.splice(0, 2);
    if (flag !== '--cwd' || value === undefined) usage();
    cwd = value;
  }
  const argv = args.slice(1);
  if (argv.length === 0) usage();
  return { cwd, argv };
}

function usage(): never {
  process.stderr.write('usage: run.ts [--cwd DIR] -- command [args...]\n');
  process.exit(2);
}

const { cwd, argv } = parseArgs(process.argv.slice(2));
const log = process.env.GALACTIC_KERNEL_LOG ? (line: string) => process.stderr.write(`[kernel] ${line}\n`) : undefined;
const host = await startKernelHost({ log });
let status = 1;
try {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void host.close().finally(() => process.exit(130)));
  }
  const command = await host.spawn(argv, {
    cwd,
    onOutput: (data, stream) => (stream === 'stdout' ? process.stdout : process.stderr).write(data),
  });
  status = await command.exited();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
} finally {
  await host.close();
}
process.exit(status);
