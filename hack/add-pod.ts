// Attach (or with --del, detach) one pod in the running `make dev`
// environment: node --import tsx hack/add-pod.ts NAME [NAMESPACE] [--del]
import { createConnection } from 'node:net';

const DEV_SOCKET = '/tmp/galactic-dev.sock';
const args = process.argv.slice(2).filter((a) => a !== '--del');
const [name, namespace = 'default'] = args;
if (!name) {
  console.error('usage: node --import tsx hack/add-pod.ts NAME [NAMESPACE] [--del]   (needs `make dev` running)');
  process.exit(2);
}
const verb = process.argv.includes('--del') ? 'detach' : 'attach';
const socket = createConnection(DEV_SOCKET, () => socket.write(`${verb} ${name} ${namespace}\n`));
let answer = '';
socket.on('data', (data) => (answer += data.toString()));
socket.on('error', (error) => {
  console.error(`cannot reach the dev environment on ${DEV_SOCKET} (is \`make dev\` running?): ${error.message}`);
  process.exit(1);
});
socket.on('end', () => {
  console.log(answer.trim());
  process.exitCode = answer.startsWith('ok') ? 0 : 1;
});
