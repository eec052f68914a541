// `ip monitor` as an RxJS stream, apart from lib/iproute.ts so the CNI
// plugin, which uses that module, bundles no RxJS.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Observable } from 'rxjs';
import { CommandError } from './iproute.js';

/**
 * What `ip monitor` reports: `started` once it listens (events before it
 * are unknown to the caller), each line it prints, and `lost` for anything
 * on stderr (`netlink receive error … No buffer space`: events were dropped
 * and `ip` carries on).
 */
export type MonitorEvent = { kind: 'started' } | { kind: 'line'; line: string } | { kind: 'lost'; detail: string };

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
    child.on('spawn', () => subscriber.next({ kind: 'started' }));
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
