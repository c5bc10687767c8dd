export { SwitchboardClient } from './client.js';
export type {
  ClientEvents,
  ClientOptions,
  ClientState,
  DisconnectedEvent,
  OpenOptions,
  ReadyEvent,
  RequestOptions,
  RequestPromise,
  ResumeFailedEvent,
} from './client.js';
export { SwitchboardError } from './errors.js';
export type { ClientErrorCode, ErrorCode } from './errors.js';
export { backoffDelay, shutdownDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export type { WebSocketConstructor, WebSocketLike } from './transport.js';
export * from './frames.js';
