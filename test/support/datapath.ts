// Test-side helpers over the lab: pods added and removed through the real
// CNI plugin with the NAD configs, and connectivity waits.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { waitFor } from '../../lib/wait.js';
import { delegatedPluginConfigs } from '../../hack/lab/multus.js';
import type { Lab } from '../../hack/lab/lab.js';
import { DEFAULT_ARCHIVE, buildImage, imageReference } from '../../hack/image/build.js';
import { type PodSpec, nadConfig } from './seed.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const GALACTIC = resolve(REPO, 'dist/galactic');

const SOURCE_DIRS = ['cli', 'lib', 'proto', 'router', 'agent', 'cni', 'controllers', 'status'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The self-contained executable the nodes run; (re)built when missing or older than the sources. */
export function galacticExecutable(): string {
  const built = existsSync(GALACTIC) ? statSync(GALACTIC).mtimeMs : 0;
  if (SOURCE_DIRS.some((dir) => newestSource(resolve(REPO, dir)) > built)) {
    execFileSync('node', ['hack/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  }
  return GALACTIC;
}

/** dist/galactic-image.tar (make image) of the current executable, (re)built when missing or older; its image reference. */
export function galacticImage(): { archive: string; reference: string } {
  const executable = galacticExecutable();
  const archive = DEFAULT_ARCHIVE;
  const reference = imageReference();
  if (!existsSync(archive) || statSync(archive).mtimeMs < statSync(executable).mtimeMs) buildImage(archive);
  return { archive, reference };
}

export const IFNAME = 'galactic0';

export async function addPod(lab: Lab, spec: PodSpec, node = spec.node): Promise<unknown> {
  await lab.addPodNamespace(spec.pod);
  const [config] = delegatedPluginConfigs(nadConfig(spec));
  const out = await lab.cni(node, { command: 'ADD', containerId: spec.pod, pod: spec.pod, ifname: IFNAME, config: config! });
  if (out.code !== 0) throw new Error(`CNI ADD of ${spec.pod} on ${node} failed: ${JSON.stringify(out.result)} ${out.stderr}`);
  for (const address of spec.prefixAddresses) {
    await lab.sh(`ip -n ${spec.pod} addr add ${address}/${address.includes(':') ? 128 : 32} dev lo`);
  }
  return out.result;
}

export async function removePod(lab: Lab, spec: PodSpec, node = spec.node): Promise<void> {
  const [config] = delegatedPluginConfigs(nadConfig(spec));
  const out = await lab.cni(node, { command: 'DEL', containerId: spec.pod, pod: spec.pod, ifname: IFNAME, config: config! });
  if (out.code !== 0) throw new Error(`CNI DEL of ${spec.pod} on ${node} failed: ${JSON.stringify(out.result)} ${out.stderr}`);
  await lab.deletePodNamespace(spec.pod);
}

/** Waits until a ping succeeds (routes propagate asynchronously through the router). */
export async function expectReachable(lab: Lab, pod: string, destination: string, source?: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(() => lab.ping(pod, destination, source), {
    what: `${pod} reaching ${destination}${source ? ` from ${source}` : ''}`,
    timeoutMs,
    intervalMs: 200,
  });
}
