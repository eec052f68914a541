// `ip monitor` as an RxJS stream, apart from lib/iproute.ts so the CNI
// plugin, which uses that module, bundles no RxJS.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Observable } from 'rxjs';
import { CommandError } from './iproute.js';

/** How long to wait for `ip monitor`'s subscription before reporting it started anyway. */
const SUBSCRIBE_TIMEOUT_MS = 2000;
const SUBSCRIBE_POLL_MS = 10;

/**
 * Whether process `pid` has a NETLINK_ROUTE socket subscribed to multicast
 * groups (its port id is its pid): from then on no event is missed.
 */
async function subscribed(pid: number): Promise<boolean> {
  try {
    const table = await readFile(`/proc/${pid}/net/netlink`, 'utf8');
    return table.split('\n').some((row) => {
      const [, protocol, port, groups] = row.trim().split(/\s+/);
      return protocol === '0' && port === String(pid) && groups !== undefined && /^[0-9a-f]+$/.test(groups) && !/^0+$/.test(groups);
    });
  } catch {
    return false;
  }
}

/** Resolves once `pid` listens, or after SUBSCRIBE_TIMEOUT_MS (no /proc, another port id). */
async function untilSubscribed(pid: number): Promise<void> {
  for (let waited = 0; waited < SUBSCRIBE_TIMEOUT_MS; waited += SUBSCRIBE_POLL_MS) {
    if (await subscribed(pid)) return;
    await sleep(SUBSCRIBE_POLL_MS);
  }
}

/**
 * What `ip monitor` reports: `started` once it listens (its netlink socket
 * subscribed: events before that are unknown to the caller), each line it prints, and `lost` for anything
 * on stderr (`netlink receive error … No buffer space`: events were dropped
 * and `ip` carries on).
 */
export type MonitorEvent = { kind: 'started'; pid: number } | { kind: 'line'; line: string } | { kind: 'lost'; detail: string };

/**
 * `ip [-n NETNS] -N monitor <objects>` as a stream of lines (iproute2 6.1
 * ignores `-j` here: one text line per event, continuation lines indented).
 * The stream fails when the process exits; unsubscribing kills it.
 */
export function ipMonitor(objects: string[], options: { bin?: string; netns?: string } = {}): Observable<MonitorEvent> {
  const argv = [options.bin ?? 'ip', ...(options.netns ? ['-n', options.netns] : []), '-N', 'monitor', ...objects];
  return new Observable<MonitorEvent>((subscriber) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.on('spawn', () => {
      const pid = child.pid!;
      void untilSubscribed(pid).then(() => {
        if (child.exitCode === null && child.signalCode === null) subscriber.next({ kind: 'started', pid });
      });
    });
    createInterface({ input: child.stdout }).on('line', (line) => subscriber.next({ kind: 'line', line }));
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr = `${stderr}${line}\n`.slice(-2000);
      subscriber.next({ kind: 'lost', detail: line });
    });
    child.on('error', (error) => subscriber.error(new CommandError(argv, null, error.message)));
    child.on('close', (code) => subscriber.error(new CommandError(argv, code, stderr)));
    return () => {
      child.removeAllListeners('close');
      child.kill('SIGKILL');
    };
  });
}
