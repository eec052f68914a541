// Mocha hooks for full-stack tests on real kubelet nodes: the stack of
// hack/stack.ts in the qemu guest, kube-scheduler and kube-controller-manager
// on the host, and each named lab node turned into a kubelet node
// (hack/node). The agents stay lab processes. Start-up figures (time until
// every node is Ready, guest memory and CPU) are printed, not asserted.
import { type ControlPlane, startControlPlane } from '../../hack/envtest/controlplane.js';
import type { KernelHost } from '../../hack/kernel/index.js';
import { KubeletNode } from '../../hack/node/node.js';
import { type Stack, startStack } from '../../hack/stack.js';
import { waitFor } from '../../lib/wait.js';
import { galacticExecutable } from './datapath.js';

export interface KubeletStack {
  stack: Stack;
  control: ControlPlane;
  nodes: Map<string, KubeletNode>;
  /** One ping from inside a pod's sandbox network namespace on its kubelet node. */
  pingFromPod(pod: { name: string; node: string }, destination: string): Promise<boolean>;
}

interface NodeJson {
  status: { conditions?: Array<{ type: string; status: string }> };
}

/** Starts the stack and the kubelet nodes before the file's tests, stops them after; the log is printed on failure. */
export function useKubeletStack(nodeNames: string[]): { current: () => KubeletStack } {
  let running: KubeletStack | undefined;
  let stack: Stack | undefined;
  let control: ControlPlane | undefined;
  const nodes = new Map<string, KubeletNode>();
  const log: string[] = [];
  const printLog = () => console.log(log.slice(-400).join('\n'));

  before(async function () {
    this.timeout(30 * 60_000);
    try {
      const galactic = galacticExecutable();
      stack = await inQemuGuest(() => startStack({ galactic, log: (line) => log.push(line) }));
      control = await startControlPlane(stack.cluster.api, { log: (line) => log.push(line) });
      const cpuBefore = await guestCpu(stack.host);
      const started = Date.now();
      const ready = async (name: string) => {
        const node = await stack!.cluster.getJson<NodeJson>('node', name).catch(() => undefined);
        return node?.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      };
      // one after the other: started together, only the first kubelet registered (the others
      // stopped logging after their container manager started; cause not found)
      for (const name of nodeNames) {
        nodes.set(name, await KubeletNode.start({ lab: stack.lab, node: name, apiProxyPort: control.proxyPort, galactic, log: (line) => log.push(line) }));
        await waitFor(() => ready(name), { what: `node ${name} Ready`, timeoutMs: 5 * 60_000, intervalMs: 1000 });
      }
      const seconds = Math.round((Date.now() - started) / 1000);
      const cpu = await guestCpu(stack.host);
      const busy = 1 - (cpu.idle - cpuBefore.idle) / (cpu.total - cpuBefore.total);
      console.log(`      ${nodeNames.length} kubelet nodes Ready ${seconds} s after their start; guest CPU busy ${Math.round(busy * 100)}% meanwhile; ${await guestMemory(stack.host)}`);
      running = {
        stack,
        control,
        nodes,
        pingFromPod: async (pod, destination) => {
          const node = nodes.get(pod.node);
          if (!node) throw new Error(`pod ${pod.name} is on ${pod.node}, not a kubelet node of this stack`);
          const pid = await node.sandboxPid(pod.name);
          return (await stack!.host.exec(['nsenter', '-t', String(pid), '-n', 'ping', '-c1', '-W2', destination])).code === 0;
        },
      };
    } catch (error) {
      printLog();
      throw error;
    }
  });

  after(async function () {
    this.timeout(5 * 60_000);
    if (stack) console.log(`      at the end: ${await guestMemory(stack.host).catch((error: Error) => error.message)}`);
    await Promise.all([...nodes.values()].map((node) => node.stop()));
    await control?.stop();
    await stack?.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') printLog();
  });

  return {
    current: () => {
      if (!running) throw new Error('the kubelet stack did not start');
      return running;
    },
  };
}

/** A kubelet node needs the guest even where this machine's kernel has VRF. */
async function inQemuGuest<T>(start: () => Promise<T>): Promise<T> {
  const forced = process.env.GALACTIC_KERNEL_HOST;
  process.env.GALACTIC_KERNEL_HOST = 'qemu';
  try {
    return await start();
  } finally {
    if (forced === undefined) delete process.env.GALACTIC_KERNEL_HOST;
    else process.env.GALACTIC_KERNEL_HOST = forced;
  }
}

async function guestCpu(host: KernelHost): Promise<{ idle: number; total: number }> {
  const line = (await host.exec(['head', '-n1', '/proc/stat'])).stdout;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  return { idle: (ticks[3] ?? 0) + (ticks[4] ?? 0), total: ticks.reduce((sum, t) => sum + t, 0) };
}

async function guestMemory(host: KernelHost): Promise<string> {
  const meminfo = (await host.exec(['cat', '/proc/meminfo'])).stdout;
  const mb = (field: string) => Math.round(Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 0) / 1024);
  return `guest memory ${mb('MemTotal') - mb('MemAvailable')} MB used of ${mb('MemTotal')} MB (shmem/tmpfs ${mb('Shmem')} MB)`;
}
