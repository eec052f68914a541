// The MQTT fault proxy inside a lab: a node process on the kernel host (where
// the agents and the router run), listening on the control-plane address next
// to the broker, so clients reach it as they reach the broker. Faults are
// switched on and off while it runs; connections stay up across a switch.
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Process } from '../../hack/kernel/index.js';
import { CONTROL_PLANE_ADDRESS, MQTT_PORT } from '../../hack/lab/topology.js';
import type { Lab } from '../../hack/lab/lab.js';
import { waitFor } from '../../lib/wait.js';
import type { FaultRates, FaultStats } from './mqtt-fault-proxy.js';

/** The proxy process as one plain JS file in the shared scratch directory (tsx is too slow in a TCG guest). */
async function bundle(scratchDir: string): Promise<string> {
  const outfile = join(scratchDir, 'mqtt-fault-proxy.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'mqtt-fault-proxy-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  return outfile;
}

export class LabFaultProxy {
  private constructor(
    private readonly process: Process,
    readonly port: number,
  ) {}

  /** Starts a clean line on CONTROL_PLANE_ADDRESS:`port` to the lab's broker; `seed` fixes the fault decisions in turn. */
  static async start(lab: Lab, options: { port: number; rates: FaultRates; seed: number; log?: (line: string) => void }): Promise<LabFaultProxy> {
    const script = await bundle(lab.host.scratchDir);
    const { port, rates, seed, log } = options;
    const argv = [process.execPath, script, CONTROL_PLANE_ADDRESS, port, '::1', MQTT_PORT, rates.drop, rates.duplicate, seed].map(String);
    const proxy = await lab.host.spawn(argv, { onOutput: (data) => log?.(`fault proxy: ${data.trimEnd()}`) });
    await proxy.waitForOutput('"state":"listening"', 60_000);
    return new LabFaultProxy(proxy, port);
  }

  /** Turns the faults on (PUBLISH packets dropped and duplicated at the rates given). */
  async faulty(): Promise<void> {
    await this.switchTo('faulty', 'SIGUSR2');
  }

  /** Turns the faults off; what they did while on. */
  async clean(): Promise<FaultStats> {
    return this.switchTo('clean', 'SIGHUP');
  }

  async stop(): Promise<void> {
    await this.process.kill('SIGTERM');
    await this.process.exited();
  }

  private async switchTo(state: string, signal: string): Promise<FaultStats> {
    const reports = (): string[] => this.process.output().split('\n').filter((line) => line.includes(`"state":"${state}"`));
    const before = reports().length;
    await this.process.kill(signal);
    await waitFor(() => reports().length > before, { what: `the fault proxy to report ${state}`, timeoutMs: 60_000, intervalMs: 100 });
    return JSON.parse(reports().at(-1)!) as FaultStats;
  }
}
