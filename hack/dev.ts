// `make dev`: a long-running local environment (API server, operator,
// router with its embedded broker, three-node lab). Pods are attached on request by
// `node --import tsx hack/add-pod.ts NAME [NAMESPACE]`, which asks this process
// over a unix socket to play kubelet + Multus for that pod. Ctrl-C tears down.
import { copyFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { galacticExecutable } from '../test/support/datapath.js';
import { MQTT_PORT } from './lab/topology.js';
import { type AttachedPod, attachPod, detachPod, startStack } from './stack.js';

export const DEV_SOCKET = '/tmp/galactic-dev.sock';
export const DEV_KUBECONFIG = '/tmp/galactic-dev.kubeconfig';

const progress = (line: string): void => console.log(`dev: ${line}`);
const stack = await startStack({ galactic: galacticExecutable(), progress });
await copyFile(stack.cluster.api.kubeconfigPath, DEV_KUBECONFIG);
const attached = new Map<string, AttachedPod>();

// One request per connection: "attach NAME NAMESPACE" or "detach NAME NAMESPACE"; the answer is one line.
await rm(DEV_SOCKET, { force: true });
const server = createServer((socket) => {
  socket.once('data', (data) => {
    const [verb, name, namespace = 'default'] = data.toString().trim().split(/\s+/);
    const key = `${namespace}/${name}`;
    void (async () => {
      if (verb === 'attach' && name) {
        const pod = await attachPod(stack, name, namespace);
        attached.set(key, pod);
        return `attached ${key} on ${pod.node}: ${pod.interfaces.map((i) => i.ifname).join(', ')}`;
      }
      const pod = attached.get(key);
      if (verb === 'detach' && pod) {
        await detachPod(stack, pod);
        attached.delete(key);
        return `detached ${key}`;
      }
      throw new Error(`usage: attach|detach NAME [NAMESPACE] (attached: ${[...attached.keys()].join(', ') || 'none'})`);
    })().then(
      (answer) => socket.end(`ok ${answer}\n`),
      (error: Error) => socket.end(`error ${error.message}\n`),
    );
  });
});
await new Promise<void>((resolve) => server.listen(DEV_SOCKET, resolve));

console.log(`
Galactic dev environment is up: API server, operator (with webhook), router (embedded MQTT broker on [::]:${MQTT_PORT}), nodes ${stack.lab.nodes.map((n) => n.name).join(', ')}.

  export KUBECONFIG=${DEV_KUBECONFIG}
  kubectl apply -f samples/ && kubectl apply -f samples/pods/
  node --import tsx hack/add-pod.ts sjc        # kubelet + Multus for pod "sjc" (spec.nodeName picks the lab node)
  node --import tsx hack/add-pod.ts sjc --del  # CNI DEL and remove its namespace

Ctrl-C tears everything down.`);

const shutdown = async (): Promise<void> => {
  progress('tearing down');
  server.close();
  await rm(DEV_SOCKET, { force: true });
  await rm(DEV_KUBECONFIG, { force: true });
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
