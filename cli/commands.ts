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
  agent: { summary: 'Per-node daemon: CNI registrations over gRPC, SRv6 routes in the kernel', load: () => import('../agent/main.js') },
  operator: { summary: 'Kubernetes operator: VPC/VPCAttachment controllers and the pod webhook', load: () => import('../controllers/main.js') },
  cni: { summary: 'The CNI plugin (normally run by the container runtime with CNI_COMMAND set)', load: () => import('../cni/main.js') },
  status: { summary: 'Read-only view of a deployment: VPCs, attachments, SIDs, egress routes, drift', load: () => import('../status/main.js') },
  broker: { summary: 'Embedded MQTT 3.1.1 broker (Aedes) with per-worker access control', load: () => import('../router/broker-main.js') },
  'install-cni': { summary: 'Install the galactic CNI plugin (and missing host-device/static) into a CNI bin directory', load: () => import('../cni/install-main.js') },
};
