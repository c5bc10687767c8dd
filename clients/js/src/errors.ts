import type { ServerErrorCode } from './frames.js';

/**
 * Failures the client itself detects, next to the server's codes:
 * - `deadline_exceeded`: no reply within the request's deadline (the server may still have acted on it);
 * - `disconnected`: the connection was lost after the request was sent (it may or may not have been handled);
 * - `queue_full`: too many requests wait for the connection to come back;
 * - `closed`: the client was closed, or stopped reconnecting;
 * - `protocol`: the server speaks another protocol version or sent something that is not a frame.
 */
export type ClientErrorCode = 'deadline_exceeded' | 'disconnected' | 'queue_full' | 'closed' | 'protocol';

export type ErrorCode = ServerErrorCode | ClientErrorCode;

/** A refused or failed request: `code` is one of the protocol's error codes or a {@link ClientErrorCode}. */
export class SwitchboardError extends Error {
  readonly code: ErrorCode | string;
  /** The id of the request it answers, when there was one. */
  readonly requestId: string | undefined;

  constructor(code: ErrorCode | string, message: string, requestId?: string) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
    this.requestId = requestId;
  }
}
