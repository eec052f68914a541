// Executor behind a KernelHost: runs commands for the test process, speaking the
// JSON lines of protocol.ts on stdin/stdout. In qemu, stdin/stdout are wired to the
// virtio-serial control port; locally it is a child of the test process.
// Plain JS with node built-ins only: node in the guest is slow, so nothing to load.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { constants, release } from 'node:os';
import { createInterface } from 'node:readline';

// Background descendants may keep a finished command's pipes open: stop waiting then.
const STDIO_GRACE_AFTER_EXIT_MS = 2000;

/** run id -> { child, timedOut, finished: Promise<void> } */
const running = new Map();

function send(msg) {
  process.stdout.write(JSON.stringify(msg) + '\n');
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function run({ id, argv, env, cwd, input, timeoutMs, stream }) {
  let child;
  try {
    child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: env ? { ...process.env, ...env } : process.env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true, // own process group: kill and timeouts reach the command's children too
    });
  } catch (err) {
    send({ ev: 'error', id, message: err.message, code: err.code });
    return;
  }
  if (child.pid === undefined) {
    child.once('error', (err) => send({ ev: 'error', id, message: err.message, code: err.code }));
    return;
  }
  child.on('error', () => {}); // later errors (e.g. kill of a reaped pid) are not the command's status

  let stdout = '';
  let stderr = '';
  let settle;
  const entry = { child, timedOut: false, finished: new Promise((resolve) => (settle = resolve)) };
  running.set(id, entry);
  if (stream) send({ ev: 'started', id, pid: child.pid });

  for (const [name, pipe] of [['stdout', child.stdout], ['stderr', child.stderr]]) {
    pipe.setEncoding('utf8');
    pipe.on('data', (data) => {
      if (stream) send({ ev: 'output', id, stream: name, data });
      else if (name === 'stdout') stdout += data;
      else stderr += data;
    });
  }
  if (input !== undefined) {
    child.stdin.on('error', () => {}); // EPIPE when the command does not read its input
    child.stdin.end(input);
  }
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          entry.timedOut = true;
          signalGroup(child, 'SIGKILL');
        }, timeoutMs)
      : undefined;
  let graceTimer;
  let done = false;
  const finish = (code, signal) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    clearTimeout(graceTimer);
    running.delete(id);
    const status = code ?? 128 + (constants.signals[signal] ?? 0);
    const buffered = stream ? {} : { stdout, stderr };
    send({ ev: 'exit', id, code: status, ...buffered, ...(entry.timedOut ? { timedOut: true } : {}) });
    settle();
  };
  child.on('close', finish);
  child.on('exit', (code, signal) => {
    graceTimer = setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
      finish(code, signal);
    }, STDIO_GRACE_AFTER_EXIT_MS);
  });
}

function kill({ id, target, signal }) {
  if (!(signal in constants.signals)) {
    send({ ev: 'error', id, message: `unknown signal ${signal}` });
    return;
  }
  const entry = running.get(target);
  if (entry) signalGroup(entry.child, signal);
  send({ ev: 'done', id });
}

async function shutdown({ id, graceMs }) {
  await signalAllAndWait('SIGTERM', graceMs);
  // so the host still learns every exit status before it tears the channel down
  await signalAllAndWait('SIGKILL', STDIO_GRACE_AFTER_EXIT_MS + 1000);
  send({ ev: 'done', id });
}

async function signalAllAndWait(signal, ms) {
  const entries = [...running.values()];
  for (const entry of entries) signalGroup(entry.child, signal);
  let timer;
  await Promise.race([
    Promise.all(entries.map((entry) => entry.finished)),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

function exitNow() {
  for (const entry of running.values()) signalGroup(entry.child, 'SIGKILL');
  process.exit(0);
}

/** listen id -> { server, conns: Map<conn number, net.Socket> } */
const listeners = new Map();

// Relays connections to address:port here to the host end of the channel, which
// connects them onwards: the guest has no network device to reach the host with.
function listen({ id, address, port }) {
  const conns = new Map();
  let nextConn = 1;
  const server = createServer((socket) => {
    const conn = nextConn++;
    conns.set(conn, socket);
    send({ ev: 'accepted', id, conn });
    socket.on('data', (data) => send({ ev: 'data', id, conn, data: data.toString('base64') }));
    socket.on('error', () => {}); // reset by the client: 'close' follows
    socket.on('close', () => {
      if (conns.delete(conn)) send({ ev: 'closed', id, conn });
    });
  });
  server.once('error', (err) => send({ ev: 'error', id, message: `listen ${address}:${port}: ${err.message}`, code: err.code }));
  server.listen(port, address, () => {
    listeners.set(id, { server, conns });
    send({ ev: 'listening', id });
  });
}

function unlisten({ id, target }) {
  const listener = listeners.get(target);
  listeners.delete(target);
  if (listener) {
    listener.server.close();
    for (const socket of listener.conns.values()) socket.destroy();
  }
  send({ ev: 'done', id });
}

function relay({ target, conn, data, end }) {
  const socket = listeners.get(target)?.conns.get(conn);
  if (!socket) return; // closed meanwhile; the host learns it from 'closed'
  if (data !== undefined) socket.write(Buffer.from(data, 'base64'));
  if (end) socket.end();
}

const handlers = { run, kill, shutdown, listen, unlisten, send: relay };
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    process.stderr.write(`galactic executor: ignoring malformed request ${line.slice(0, 200)}\n`);
    return;
  }
  const handler = handlers[req.op];
  if (!handler) {
    send({ ev: 'error', id: req.id, message: `unknown op ${req.op}` });
    return;
  }
  Promise.resolve()
    .then(() => handler(req))
    .catch((err) => send({ ev: 'error', id: req.id, message: String(err?.stack ?? err) }));
});
// The host went away (test process ended or crashed): take everything down with us.
lines.on('close', exitNow);
process.stdout.on('error', exitNow);

send({ ev: 'hello', pid: process.pid, node: process.version, kernel: release() });
