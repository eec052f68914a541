// JSON lines spoken with guest-executor.mjs (one object per line, both ways).
// Requests carry an id; every event about a request echoes it.

export type Request =
  | {
      op: 'run';
      id: number;
      argv: string[];
      env?: Record<string, string>;
      cwd?: string;
      input?: string;
      timeoutMs?: number;
      /** true: 'started' + 'output' events (spawn); false: output buffered into 'exit' (exec) */
      stream: boolean;
    }
  | { op: 'kill'; id: number; target: number; signal: string }
  /** Listen on the kernel host's address:port; each connection is relayed as 'accepted'/'data'/'closed'. */
  | { op: 'listen'; id: number; address: string; port: number }
  /** Stop a 'listen' (target = its id) and drop its connections. */
  | { op: 'unlisten'; id: number; target: number }
  /**
   * Bytes for (or the end of) a relayed connection of the listen request `target`.
   * Fire-and-forget: id is 0 and nothing answers.
   */
  | { op: 'send'; id: number; target: number; conn: number; data?: string; end?: true }
  | { op: 'shutdown'; id: number; graceMs: number };

export interface HelloEvent {
  ev: 'hello';
  pid: number;
  node: string;
  kernel: string;
}

export type ReplyEvent =
  | { ev: 'started'; id: number; pid: number }
  | { ev: 'output'; id: number; stream: 'stdout' | 'stderr'; data: string }
  | { ev: 'exit'; id: number; code: number; stdout?: string; stderr?: string; timedOut?: boolean }
  | { ev: 'error'; id: number; message: string; code?: string }
  | { ev: 'done'; id: number }
  | { ev: 'listening'; id: number }
  /** data: base64 */
  | { ev: 'accepted'; id: number; conn: number }
  | { ev: 'data'; id: number; conn: number; data: string }
  | { ev: 'closed'; id: number; conn: number }
  /** Synthesized on the host when the channel closes. */
  | { ev: 'lost'; id: number; message: string };

export type Event = HelloEvent | ReplyEvent;

/** Distributes Request without its id. */
export type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;
