// CNI errors: the `{cniVersion, code, msg, details}` object a plugin prints
// on stdout with a non-zero exit. Codes 1-99 are the CNI spec's well-known
// ones; 100 and up are Galactic's own.

export const ErrorCode = {
  /** The requested cniVersion is not supported. */
  IncompatibleVersion: 1,
  /** Invalid or missing CNI_* environment variables (the message names them). */
  InvalidEnvironment: 4,
  /** Reading stdin failed. */
  IoFailure: 5,
  /** stdin is not JSON. */
  DecodingFailure: 6,
  /** The network configuration failed validation (the message names the field and the fix). */
  InvalidConfig: 7,
  /** A transient condition (lock held too long, agent not answering): the runtime may retry. */
  TryAgainLater: 11,
  /** STATUS: the plugin cannot serve ADD (the agent is not answering). */
  NotAvailable: 50,
  /** An ip/iptables/sysctl operation failed. */
  KernelFailure: 100,
  /** The delegated host-device plugin (or its IPAM) failed or is missing. */
  DelegateFailure: 101,
  /** The agent answered Register/Deregister with an error or refused it. */
  AgentFailure: 102,
  /** CHECK found an object missing or different from the configuration. */
  CheckFailed: 103,
  /** ADD: the attachment already has kernel objects on this node. */
  AlreadyAttached: 104,
  /** Anything unexpected. */
  Internal: 999,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every error says what to do about it (SPEC §7: code + msg + details). */
export class CniError extends Error {
  override name = 'CniError';
  constructor(
    readonly code: number,
    msg: string,
    /** The fix, or the command and output behind the failure. */
    public details: string,
  ) {
    super(msg);
  }

  /** The CNI error object; `cniVersion` is the one the caller asked for. */
  toJSON(cniVersion: string): { cniVersion: string; code: number; msg: string; details: string } {
    return { cniVersion, code: this.code, msg: this.message, details: this.details };
  }
}

/** Any thrown value as a CniError (unexpected ones become code 999 with the stack in details). */
export function asCniError(error: unknown): CniError {
  if (error instanceof CniError) return error;
  const report = 'an unexpected failure of the galactic plugin: report it with this output';
  if (error instanceof Error) return new CniError(ErrorCode.Internal, error.message, `${report}\n${error.stack ?? error.name}`);
  return new CniError(ErrorCode.Internal, String(error), report);
}
