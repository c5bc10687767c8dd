/**
 * The frames of the Switchboard client protocol, version 1, with its extensions (docs/PROTOCOL.md). Every frame is
 * a JSON object with a string `type`; a request carries an `id` that its reply repeats. Unknown fields are allowed:
 * a newer server may add optional ones.
 */

/** A user's own status; `offline` follows from its connections and cannot be set. */
export type SettableStatus = 'online' | 'busy' | 'away';
export type Status = SettableStatus | 'offline';
/** How the recipient's handling rules want a message shown: pop a window up only for `popup`. */
export type NotifyLevel = 'popup' | 'silent' | 'none';
/** How a user wanted a message handled (the `feedback` request). */
export type WantedHandling = NotifyLevel | 'hold';

/** The error codes of the protocol. A newer server may send others, so any string is possible. */
export type ServerErrorCode =
  | 'bad_frame'
  | 'unknown_type'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'unavailable'
  | 'timeout'
  | 'gone'
  | 'rate_limited'
  | 'too_large'
  | 'store_unavailable'
  | 'internal'
  | 'cancelled';

export interface Geo {
  lat: number;
  lon: number;
}

/** Overrides the source's directory profile for one `open`. */
export interface OpenContext {
  geo?: Geo;
  attributes?: Record<string, unknown>;
}

/** A handling rules document (docs/RULES.md); the client passes it through as JSON. */
export type RulesDocument = Record<string, unknown>;

// --- client → server

export interface AuthFrame { type: 'auth'; id: string; token: string }
export interface PingFrame { type: 'ping'; id?: string }
export interface StatusFrame { type: 'status'; id: string; status: SettableStatus; activity?: string }
export interface WatchFrame { type: 'watch'; id: string; users: string[] }
export interface UnwatchFrame { type: 'unwatch'; id: string; users: string[] }
export interface OpenFrame { type: 'open'; id: string; to: string; context?: OpenContext }
export interface AcceptFrame { type: 'accept'; id: string; conversation: string }
export interface DeclineFrame { type: 'decline'; id: string; conversation: string }
export interface SendFrame { type: 'send'; id: string; conversation: string; body: string }
export interface CloseFrame { type: 'close'; id: string; conversation: string }
export interface ResumeFrame { type: 'resume'; id: string; conversation: string; after: number }
export interface TranscriptRequestFrame { type: 'transcript'; id: string; conversation: string; after?: number; limit?: number }
export interface GetRulesFrame { type: 'get-rules'; id: string }
export interface SetRulesFrame { type: 'set-rules'; id: string; document: RulesDocument }
export interface CancelFrame { type: 'cancel'; id: string; open: string }
export interface TransferFrame { type: 'transfer'; id: string; conversation: string; to: string; note?: string }
export interface FeedbackFrame { type: 'feedback'; id: string; conversation: string; seq: number; wanted: WantedHandling }
export interface GetSuggestionsFrame { type: 'get-suggestions'; id: string }
export interface AdoptSuggestionFrame { type: 'adopt-suggestion'; id: string; suggestion: string }
export interface DismissSuggestionFrame { type: 'dismiss-suggestion'; id: string; suggestion: string }

export type ClientFrame =
  | AuthFrame
  | PingFrame
  | StatusFrame
  | WatchFrame
  | UnwatchFrame
  | OpenFrame
  | AcceptFrame
  | DeclineFrame
  | SendFrame
  | CloseFrame
  | ResumeFrame
  | TranscriptRequestFrame
  | GetRulesFrame
  | SetRulesFrame
  | CancelFrame
  | TransferFrame
  | FeedbackFrame
  | GetSuggestionsFrame
  | AdoptSuggestionFrame
  | DismissSuggestionFrame;

// --- server → client

export interface HelloFrame { type: 'hello'; protocol: number; node: string; heartbeat: number; server?: string }
export interface ReadyFrame { type: 'ready'; id: string; user: string; session: string }
export interface PongFrame { type: 'pong'; id?: string }
export interface OkFrame { type: 'ok'; id: string }
export interface ErrorFrame { type: 'error'; id?: string; code: ServerErrorCode | string; message: string }
export interface PresenceFrame { type: 'presence'; user: string; status: Status; virtual: boolean }

/** Present on an offer that hands over a conversation already under way (`transfer`). */
export interface TransferInfo { from: string; note?: string }

export interface OfferFrame {
  type: 'offer';
  conversation: string;
  from: string;
  /** The virtual user offered, or the user itself for a common user. */
  to: string;
  /** Milliseconds since the epoch; an answer after it gets `gone`. */
  expires: number;
  transfer?: TransferInfo;
}

export interface OfferWithdrawnFrame {
  type: 'offer-withdrawn';
  conversation: string;
  reason: 'timeout' | 'answered' | 'cancelled' | string;
}

export interface OpenedFrame { type: 'opened'; id: string; conversation: string; to: string; agent: string | null }

export interface QueuedFrame {
  type: 'queued';
  /** The id of the waiting `open`. */
  id: string;
  to: string;
  position: number;
  /** Milliseconds, when the server can tell. */
  estimatedWait: number | null;
}

export interface AckFrame { type: 'ack'; id: string; conversation: string; seq: number }

export interface MessageFrame {
  type: 'message';
  conversation: string;
  from: string;
  seq: number;
  ts: number;
  body: string;
  notify: NotifyLevel;
  /** The member who wrote it, when the virtual user reveals its agents. */
  agent?: string;
  /** An automatic reply. */
  auto?: boolean;
  /** The rule that decided `notify`. */
  rule?: string;
}

export interface ClosedFrame {
  type: 'closed';
  conversation: string;
  by: string;
  reason?: 'closed' | 'disconnected' | 'transferred' | string;
}

export interface TransferredFrame { type: 'transferred'; conversation: string; to: string; agent: string | null }

export interface NoticeFrame {
  type: 'notice';
  action: 'held' | 'released' | 'auto-replied' | 'dropped' | 'transcript' | 'held-full' | 'mailbox-full' | string;
  rule?: string;
  conversation?: string | null;
  count: number;
}

export interface RulesFrame { type: 'rules'; id: string; document: RulesDocument }

export interface TranscriptEntry {
  seq: number;
  from: string;
  ts: number;
  body: string;
  notify: NotifyLevel;
  handling: 'delivered' | 'held' | 'transcript' | 'dropped' | string;
  agent?: string;
  auto?: boolean;
}

export interface TranscriptFrame {
  type: 'transcript';
  id: string;
  conversation: string;
  messages: TranscriptEntry[];
  more: boolean;
}

export interface ShutdownFrame { type: 'shutdown'; reconnect: boolean; retryAfter: number }

export interface Suggestion {
  id: string;
  rule: Record<string, unknown>;
  activation: Record<string, unknown> | null;
  evidence: string;
  support: number;
  confidence: number;
}

/** The reply to `get-suggestions` (with its `id`), or pushed without one when a new suggestion appears. */
export interface SuggestionsFrame { type: 'suggestions'; id?: string; suggestions: Suggestion[] }

export type ServerFrame =
  | HelloFrame
  | ReadyFrame
  | PongFrame
  | OkFrame
  | ErrorFrame
  | PresenceFrame
  | OfferFrame
  | OfferWithdrawnFrame
  | OpenedFrame
  | QueuedFrame
  | AckFrame
  | MessageFrame
  | ClosedFrame
  | TransferredFrame
  | NoticeFrame
  | RulesFrame
  | TranscriptFrame
  | ShutdownFrame
  | SuggestionsFrame;

/** The protocol version this library speaks. */
export const PROTOCOL_VERSION = 1;
