import type { ExecutorChannel } from './executor-channel.js';
import type { ReplyEvent } from './protocol.js';
import type { Process } from './types.js';

/** A spawned process, fed by the 'output' and 'exit' events of its run request. */
export class RemoteProcess implements Process {
  readonly id: string;
  private text = '';
  private exitCode: number | undefined;
  private failure: Error | undefined;
  private readonly exit: Promise<number>;
  private readonly listeners = new Set<() => void>();
  private settleExit!: { resolve: (code: number) => void; reject: (err: Error) => void };

  constructor(
    private readonly channel: ExecutorChannel,
    private readonly runId: number,
    readonly pid: number,
    private readonly onOutput?: (data: string, stream: 'stdout' | 'stderr') => void,
  ) {
    this.id = String(pid);
    this.exit = new Promise((resolve, reject) => (this.settleExit = { resolve, reject }));
    this.exit.catch(() => {}); // nobody has to await exited()
  }

  get running(): boolean {
    return this.exitCode === undefined && this.failure === undefined;
  }

  /** Feeds an event of the run request; true once the process is finished. */
  handle(event: ReplyEvent): boolean {
    switch (event.ev) {
      case 'output':
        this.text += event.data;
        this.onOutput?.(event.data, event.stream);
        break;
      case 'exit':
        this.exitCode = event.code;
        this.settleExit.resolve(event.code);
        break;
      case 'lost':
      case 'error':
        this.failure = new Error(`process ${this.pid}: ${event.message}`);
        this.settleExit.reject(this.failure);
        break;
      default:
        return false;
    }
    for (const listener of this.listeners) listener();
    return !this.running;
  }

  output(): string {
    return this.text;
  }

  async kill(signal = 'SIGTERM'): Promise<void> {
    if (!this.running || !this.channel.isOpen) return;
    const reply = await this.channel.call({ op: 'kill', target: this.runId, signal });
    if (reply.ev === 'error') throw new Error(`kill ${signal} ${this.pid}: ${reply.message}`);
  }

  exited(): Promise<number> {
    return this.exit;
  }

  waitForOutput(pattern: RegExp | string, timeoutMs = 30_000): Promise<string> {
    const matches = () => (typeof pattern === 'string' ? this.text.includes(pattern) : pattern.test(this.text));
    return new Promise((resolve, reject) => {
      const check = () => {
        if (matches()) done(() => resolve(this.text));
        else if (!this.running) {
          const why = this.failure?.message ?? `exited with ${this.exitCode}`;
          done(() => reject(new Error(`process ${this.pid} ${why} before printing ${pattern}; output:\n${this.text}`)));
        }
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${this.text}`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }
}
