import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Event, HelloEvent, ReplyEvent, RequestBody } from './protocol.js';

/** Returns true when the request is complete and needs no more events. */
export type ReplyHandler = (event: ReplyEvent) => boolean | void;

/** Request/event multiplexing over the executor's JSON lines. */
export class ExecutorChannel {
  readonly hello: Promise<HelloEvent>;
  private readonly handlers = new Map<number, ReplyHandler>();
  private nextId = 1;
  private lostReason: string | undefined;

  constructor(
    input: Readable,
    private readonly output: Writable,
    /** Appended to errors when the channel closes, e.g. the guest console tail. */
    private readonly describeLoss: () => string,
    private readonly log: (line: string) => void,
  ) {
    let helloReceived!: (hello: HelloEvent) => void;
    let helloFailed!: (err: Error) => void;
    this.hello = new Promise((resolve, reject) => {
      helloReceived = resolve;
      helloFailed = reject;
    });
    this.hello.catch(() => {}); // observed by whoever awaits it

    const lines = createInterface({ input, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const event = parse(line);
      if (!event) this.log(`executor: ${line}`);
      else if (event.ev === 'hello') helloReceived(event);
      else this.deliver(event);
    });
    lines.on('close', () => {
      this.lostReason = `kernel host executor channel closed${this.describeLoss()}`;
      helloFailed(new Error(this.lostReason));
      for (const [id, handler] of this.handlers) handler({ ev: 'lost', id, message: this.lostReason });
      this.handlers.clear();
    });
    output.on('error', () => {}); // EPIPE once the executor is gone; reported through 'close' above
  }

  get isOpen(): boolean {
    return this.lostReason === undefined;
  }

  request(body: RequestBody, handler: ReplyHandler): number {
    if (this.lostReason !== undefined) throw new Error(this.lostReason);
    const id = this.nextId++;
    this.handlers.set(id, handler);
    this.output.write(JSON.stringify({ ...body, id }) + '\n');
    return id;
  }

  /** A request nothing answers (id 0), e.g. relayed bytes. */
  post(body: RequestBody): void {
    if (this.lostReason !== undefined) return; // the relay is gone with the channel
    this.output.write(JSON.stringify({ ...body, id: 0 }) + '\n');
  }

  /** Resolves with the reply event that completes a one-shot request. */
  call(body: RequestBody): Promise<ReplyEvent> {
    return new Promise((resolve, reject) => {
      try {
        this.request(body, (event) => {
          resolve(event);
          return true;
        });
      } catch (err) {
        reject(err);
      }
    });
  }

  private deliver(event: ReplyEvent): void {
    const handler = this.handlers.get(event.id);
    if (!handler) {
      this.log(`executor: event for unknown request ${JSON.stringify(event).slice(0, 200)}`);
      return;
    }
    if (handler(event) === true) this.handlers.delete(event.id);
  }
}

function parse(line: string): Event | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as Event;
    return typeof value === 'object' && value !== null && 'ev' in value ? value : undefined;
  } catch {
    return undefined;
  }
}
