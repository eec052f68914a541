// Entry point of the `galactic` executable: subcommands per component, and
// the CNI plugin when invoked by a container runtime (CNI_COMMAND is set).
import { HelpRequested, UsageError } from '../lib/options.js';
import { commands } from './commands.js';

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'Usage: galactic COMMAND [options]',
    '',
    'Galactic: Kubernetes-native VPC networks for containers, carried in SRv6, isolated by VRFs.',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'galactic COMMAND --help' for a command's options.",
    'With CNI_COMMAND set in the environment, galactic acts as the CNI plugin.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  if (process.env.CNI_COMMAND !== undefined && commands.cni) return (await commands.cni.load()).run(argv);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`galactic: unknown command ${JSON.stringify(name)}\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await entry.load()).run(rest);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.text}\n`);
      return 0;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`galactic ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`galactic: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
