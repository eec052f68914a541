// The subcommands of `galactic`. Each is loaded only when run, so the CNI
// plugin path and `--help` stay fast.
import type { CommandSpec, OptionSpecs } from '../lib/options.js';

export interface CommandModule {
  command: CommandSpec<OptionSpecs>;
  /** Runs the command; resolves with the process exit code. */
  run(argv: string[]): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  router: { summary: 'Central route computation: registrations in, SRv6 routes out over MQTT', load: () => import('../router/main.js') },
  broker: { summary: 'Embedded MQTT 3.1.1 broker (Aedes) with per-worker access control', load: () => import('../router/broker-main.js') },
};
