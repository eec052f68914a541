// The MQTT fault proxy as a process, for a lab whose clients run on the kernel
// host (a qemu guest): bundled by faultProxyBundle() and run there with node.
//   node mqtt-fault-proxy.mjs LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT DROP DUPLICATE SEED
// Starts as a clean line. SIGUSR2 turns the faults (DROP, DUPLICATE shares of
// PUBLISH packets, decided by a generator seeded with SEED) on, SIGHUP off;
// the start and each switch print one JSON line with the stats so far.
import { MqttFaultProxy, seededRandom } from './mqtt-fault-proxy.js';

const [listenHost, listenPort, targetHost, targetPort, drop, duplicate, seed] = process.argv.slice(2);
const number = (text: string | undefined, what: string): number => {
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value)) throw new Error(`${what}: expected a number, got ${JSON.stringify(text)}`);
  return value;
};
const faults = { drop: number(drop, 'DROP'), duplicate: number(duplicate, 'DUPLICATE') };
const clean = { drop: 0, duplicate: 0 };

const proxy = await MqttFaultProxy.start(
  { host: targetHost ?? '::1', port: number(targetPort, 'TARGET_PORT') },
  clean,
  seededRandom(number(seed, 'SEED')),
  { host: listenHost ?? '::', port: number(listenPort, 'LISTEN_PORT') },
);
const report = (state: string): void => console.log(JSON.stringify({ state, ...proxy.stats }));
process.on('SIGUSR2', () => {
  proxy.setRates(faults);
  report('faulty');
});
process.on('SIGHUP', () => {
  proxy.setRates(clean);
  report('clean');
});
process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
report('listening');
