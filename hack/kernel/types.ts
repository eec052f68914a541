export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Merged over the executor's environment (PATH, HOME, ...). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed. Without it stdin is /dev/null. */
  input?: string;
  /** Kills the command's process group; exec() then rejects with the partial output. */
  timeoutMs?: number;
  /** Defaults to the host process's working directory (visible in the guest, read-only). */
  cwd?: string;
  /** spawn() only: live output as it arrives. */
  onOutput?: (data: string, stream: 'stdout' | 'stderr') => void;
}

export interface Process {
  readonly id: string;
  /** Process id on the kernel host (in the guest for qemu). */
  readonly pid: number;
  /** stdout and stderr so far, interleaved in arrival order. */
  output(): string;
  /** Signals the process group (default SIGTERM); resolves once delivered, see exited(). */
  kill(signal?: string): Promise<void>;
  /** Exit code, or 128 + signal number. */
  exited(): Promise<number>;
  /** Resolves with output() once it matches; rejects if the process exits first or on timeout. */
  waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
}

export interface KernelHost {
  readonly kind: 'local' | 'qemu';
  /** Writable directory shared with the host at the same path. */
  readonly scratchDir: string;
  /** argv[0] is resolved via PATH. */
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** /bin/sh -c script */
  sh(script: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Long-running process (agent, router, broker). */
  spawn(argv: string[], opts?: ExecOptions): Promise<Process>;
  /**
   * Connections to guestAddress:guestPort (default 127.0.0.1) on the kernel host
   * reach 127.0.0.1:hostPort on this machine, relayed over the control channel:
   * how a qemu guest (no NIC) reaches a server the test runs, e.g. the API server.
   * The address must exist in the kernel host's root namespace, e.g. a lab bridge's.
   */
  forwardToHost(guestPort: number, hostPort: number, guestAddress?: string): Promise<PortForward>;
  /** Kills all spawned processes, powers off, removes temp files. Idempotent. */
  close(): Promise<void>;
}

export interface PortForward {
  readonly guestPort: number;
  /** Stops listening in the kernel host and drops the relayed connections. Idempotent. */
  close(): Promise<void>;
}

export interface KernelHostOptions {
  memoryMb?: number;
  /** Guest console (kernel messages) and executor diagnostics, line by line. */
  log?: (line: string) => void;
}
