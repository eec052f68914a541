// The ip monitor adapter with a stand-in executable: lines, lost events
// (anything on stderr) and the end of the process as the stream's error.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type MonitorEvent, ipMonitor } from './ip-monitor.js';
import { CommandError } from './iproute.js';

describe('lib/ip-monitor', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'galactic-ip-monitor-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('emits each line, stderr as lost events, and fails with the exit code when ip ends', async () => {
    const bin = join(dir, 'ip');
    writeFileSync(bin, '#!/bin/sh\necho "Deleted id 5 dev lo scope host"\necho "netlink receive error No buffer space available (105)" >&2\nexit 3\n');
    chmodSync(bin, 0o755);
    const events: MonitorEvent[] = [];
    const failure = await new Promise<unknown>((done) => ipMonitor(['route', 'nexthop'], { bin, netns: 'n1' }).subscribe({ next: (e) => events.push(e), error: done }));
    expect(failure).to.be.instanceOf(CommandError);
    expect(failure).to.include({ code: 3 });
    expect((failure as CommandError).argv).to.deep.equal([bin, '-n', 'n1', '-N', 'monitor', 'route', 'nexthop']);
    // stdout and stderr are separate pipes: their relative order is not kept.
    expect(events.filter((e) => e.kind !== 'started')).to.have.deep.members([
      { kind: 'line', line: 'Deleted id 5 dev lo scope host' },
      { kind: 'lost', detail: 'netlink receive error No buffer space available (105)' },
    ]);
  });
});
