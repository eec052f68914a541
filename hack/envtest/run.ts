// Runs the envtest control plane until SIGINT/SIGTERM.
//   node --import tsx hack/envtest/run.ts [--kubeconfig PATH] [--verbose]
// --kubeconfig also writes the kubeconfig to PATH (removed again on exit).
import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startApiServer } from './envtest.js';

const { values } = parseArgs({
  options: { kubeconfig: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } },
});

const started = Date.now();
const api = await startApiServer(values.verbose ? { log: (line) => process.stderr.write(`${line}\n`) } : {});
let kubeconfig = api.kubeconfigPath;
if (values.kubeconfig) {
  kubeconfig = path.resolve(values.kubeconfig);
  await copyFile(api.kubeconfigPath, kubeconfig);
}

console.log(`envtest: kube-apiserver ${api.url} (etcd ${api.etcdUrl}) ready in ${Date.now() - started} ms`);
console.log(`envtest: kubeconfig ${kubeconfig}`);
console.log(`export KUBECONFIG=${kubeconfig}`);
console.log('envtest: Ctrl-C (SIGINT) or SIGTERM stops it');

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.log(`envtest: ${sig}, stopping`);
    void (async () => {
      await api.stop();
      if (values.kubeconfig) await rm(kubeconfig, { force: true });
      process.exit(0);
    })();
  });
}
