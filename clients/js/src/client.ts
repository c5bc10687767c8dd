import { backoffDelay, shutdownDelay, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { SwitchboardError } from './errors.js';
import {
  PROTOCOL_VERSION,
  type AckFrame,
  type ClientFrame,
  type ClosedFrame,
  type MessageFrame,
  type NoticeFrame,
  type OfferFrame,
  type OfferWithdrawnFrame,
  type OpenContext,
  type OpenedFrame,
  type PresenceFrame,
  type QueuedFrame,
  type RulesDocument,
  type RulesFrame,
  type ServerFrame,
  type SettableStatus,
  type ShutdownFrame,
  type Status,
  type Suggestion,
  type SuggestionsFrame,
  type TranscriptFrame,
  type TransferredFrame,
  type WantedHandling,
} from './frames.js';
import { abandon, OPEN, resolveWebSocket, type WebSocketConstructor, type WebSocketLike } from './transport.js';

export interface ClientOptions {
  /** The node's WebSocket endpoint, e.g. `wss://chat.example.com/ws`. */
  url: string;
  /** The JWT, or a function giving one: called before every connection attempt, so it can hand out fresh tokens. */
  token: string | (() => string | Promise<string>);
  /** Deadline of a request, in ms (default 10,000). */
  requestTimeout?: number;
  /** Deadline of `open` and `transfer`, which wait for a person to accept, in ms (default 600,000). */
  openTimeout?: number;
  /** How long a connection attempt may take, from the socket to `ready`, in ms (default 10,000). */
  connectTimeout?: number;
  /** Reconnect when the connection is lost (default true), with these delays. */
  reconnect?: boolean | BackoffOptions;
  /** Most requests waiting for the connection to come back (default 1,000); more are refused with `queue_full`. */
  maxQueuedRequests?: number;
  /** Most messages held per conversation while it resumes (default 5,000). */
  maxResumeBuffer?: number;
  /** Conversations to resume on connecting, with the last `seq` the app saw in each (e.g. kept across a page reload). */
  conversations?: Record<string, number>;
  /** The WebSocket class to use (default: the platform's, or the `ws` package under Node). */
  WebSocket?: WebSocketConstructor;
}

/**
 * `idle` before `connect()`; `connecting` until `ready`; `ready`; `waiting` between a lost connection and the next
 * attempt; `closed` after `close()` or a failure that retrying cannot mend (a refused token).
 */
export type ClientState = 'idle' | 'connecting' | 'ready' | 'waiting' | 'closed';

export interface ReadyEvent {
  user: string;
  session: string;
  node: string;
  /** True when this is not the first connection: the client has resumed its conversations. */
  reconnected: boolean;
}

export interface DisconnectedEvent {
  /** The WebSocket close code (1006 when the client gave the connection up itself). */
  code: number;
  reason: string;
  /** The delay before the next attempt, in ms, or null when the client stops. */
  reconnectIn: number | null;
}

export interface ResumeFailedEvent {
  conversation: string;
  /** `gone` when the conversation was closed meanwhile; the client no longer follows it then. */
  error: SwitchboardError;
}

export interface ClientEvents {
  state: ClientState;
  ready: ReadyEvent;
  disconnected: DisconnectedEvent;
  /** The node is going away; the client reconnects after `retryAfter` (with jitter) unless `reconnect` is false. */
  shutdown: ShutdownFrame;
  offer: OfferFrame;
  'offer-withdrawn': OfferWithdrawnFrame;
  /** Each message once, in `seq` order per conversation, across reconnects. */
  message: MessageFrame;
  /** A watched user's status, when it differs from the last one reported. */
  presence: PresenceFrame;
  notice: NoticeFrame;
  closed: ClosedFrame;
  queued: QueuedFrame;
  transferred: TransferredFrame;
  /** New rules suggestions pushed by the server. */
  suggestions: SuggestionsFrame;
  'resume-failed': ResumeFailedEvent;
  /** An error frame no request waits for, or the failure that stopped the client. */
  error: SwitchboardError;
  /** Every frame as it arrives, before any other event (for logging). */
  frame: ServerFrame;
}

/** A request's promise, with the `id` its frame carries (`cancelOpen` takes an `open`'s id). */
export type RequestPromise<T> = Promise<T> & { readonly id: string };

export interface RequestOptions {
  /** This request's deadline in ms, instead of the client's default. */
  timeout?: number;
}

export interface OpenOptions extends RequestOptions {
  context?: OpenContext;
  /** Called with each `queued` frame while the open waits in a virtual user's queue. */
  onQueued?: (queued: QueuedFrame) => void;
}

/** What the client itself does with a request's outcome, at once when it arrives (before the app hears of it). */
interface Hooks {
  onReply?: (reply: ServerFrame) => void;
  onError?: (error: SwitchboardError) => void;
  onQueued?: (queued: QueuedFrame) => void;
}

interface Pending {
  readonly id: string;
  readonly frame: ClientFrame;
  readonly resolve: (frame: ServerFrame) => void;
  readonly reject: (error: SwitchboardError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly hooks: Hooks;
  /** The connection it was sent on; null while it waits for one. */
  sentOn: Connection | null;
}

/** A conversation the client follows: the last seq delivered to the app and, while resuming, what arrived meanwhile. */
interface Followed {
  lastSeq: number;
  /** Messages held while a resume runs, by seq; null when not resuming. */
  held: Map<number, MessageFrame> | null;
}

/** One WebSocket and its timers; the client drops everything from a connection that is no longer current. */
interface Connection {
  socket: WebSocketLike | null;
  readonly authId: string;
  token: string | null;
  node: string;
  heartbeat: number;
  lastReceived: number;
  probing: boolean;
  ready: boolean;
  shutdown: ShutdownFrame | null;
  connectTimer: ReturnType<typeof setTimeout> | null;
  heartbeatTimer: ReturnType<typeof setInterval> | null;
}

/** A WebSocket close code for a connection the client gave up on itself (no close frame was exchanged). */
const ABNORMAL = 1006;
/** Most conversations followed; past it the one followed longest is forgotten (it is no longer resumed). */
const MAX_FOLLOWED = 10_000;
/** Most offers remembered (to know, on accept, whether an offer was a transfer). */
const MAX_OFFERS = 1_000;
/** Most users in one watch frame (docs/PROTOCOL.md). */
const MAX_WATCH = 1_000;

/**
 * A Switchboard client over WebSocket: connects with a token, reconnects with jittered, capped backoff, resumes
 * every conversation it follows from the last `seq` it delivered, and hands the app each message once, in order.
 */
export class SwitchboardClient extends Emitter<ClientEvents> {
  private readonly options: ClientOptions;
  private readonly requestTimeout: number;
  private readonly openTimeout: number;
  private readonly connectTimeout: number;
  private readonly backoff: BackoffOptions | null;
  private readonly maxQueued: number;
  private readonly maxResumeBuffer: number;

  private currentState: ClientState = 'idle';
  private connection: Connection | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private failedAttempts = 0;
  private everReady = false;
  private nextId = 0;
  private readonly pending = new Map<string, Pending>();
  /** Ids of requests waiting for a connection, in call order. */
  private queue: string[] = [];
  private readonly waiters: { resolve: () => void; reject: (error: SwitchboardError) => void }[] = [];
  private readonly followed = new Map<string, Followed>();
  private readonly offers = new Map<string, OfferFrame>();
  private readonly watched = new Set<string>();
  private readonly presence = new Map<string, PresenceFrame>();
  private status: { status: SettableStatus; activity?: string } | null = null;
  private identity: { user: string; session: string; node: string } | null = null;

  constructor(options: ClientOptions) {
    super();
    this.options = options;
    this.requestTimeout = options.requestTimeout ?? 10_000;
    this.openTimeout = options.openTimeout ?? 600_000;
    this.connectTimeout = options.connectTimeout ?? 10_000;
    this.backoff = options.reconnect === false ? null : options.reconnect === true || !options.reconnect ? {} : options.reconnect;
    this.maxQueued = options.maxQueuedRequests ?? 1_000;
    this.maxResumeBuffer = options.maxResumeBuffer ?? 5_000;
    for (const [conversation, lastSeq] of Object.entries(options.conversations ?? {})) {
      this.follow(conversation, lastSeq);
    }
  }

  get state(): ClientState {
    return this.currentState;
  }

  /** The authenticated user, once ready. */
  get user(): string | undefined {
    return this.identity?.user;
  }

  /** The session id of the current connection, once ready. */
  get session(): string | undefined {
    return this.identity?.session;
  }

  /** The last status reported for a watched user. */
  presenceOf(user: string): Status | undefined {
    return this.presence.get(user)?.status;
  }

  /** The last seq delivered in each followed conversation: keep it to resume after a restart (`conversations`). */
  conversations(): Record<string, number> {
    return Object.fromEntries([...this.followed].map(([conversation, followed]) => [conversation, followed.lastSeq]));
  }

  /**
   * Connects (if not yet) and resolves once ready. Lost connections are retried, so this waits through failed
   * attempts; it rejects only when the client stops: a refused token, `close()`, or reconnecting turned off.
   */
  connect(): Promise<void> {
    if (this.currentState === 'ready') {
      return Promise.resolve();
    }
    if (this.currentState === 'closed') {
      return Promise.reject(new SwitchboardError('closed', 'the client is closed'));
    }
    const ready = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.currentState === 'idle') {
      void this.attempt();
    }
    return ready;
  }

  /** Closes the connection for good: pending requests are rejected with `closed`. */
  close(): void {
    this.stop(new SwitchboardError('closed', 'the client was closed'), false);
  }

  // --- requests

  setStatus(status: SettableStatus, activity?: string, options?: RequestOptions): Promise<void> {
    const wanted = activity === undefined ? { status } : { status, activity };
    return this.request<void>({ type: 'status', ...wanted }, options, { onReply: () => (this.status = wanted) });
  }

  /** Watches users' presence: `presence` events follow, and the watch is renewed after every reconnect. */
  async watch(users: string[], options?: RequestOptions): Promise<void> {
    for (let i = 0; i < users.length; i += MAX_WATCH) {
      const chunk = users.slice(i, i + MAX_WATCH);
      await this.request<void>({ type: 'watch', users: chunk }, options, {
        onReply: () => chunk.forEach((user) => this.watched.add(user)),
      });
    }
  }

  async unwatch(users: string[], options?: RequestOptions): Promise<void> {
    users.forEach((user) => {
      this.watched.delete(user);
      this.presence.delete(user);
    });
    for (let i = 0; i < users.length; i += MAX_WATCH) {
      await this.request<void>({ type: 'unwatch', users: users.slice(i, i + MAX_WATCH) }, options);
    }
  }

  /** Opens a conversation; resolves with `opened` once someone accepted. Its `id` is what `cancelOpen` takes. */
  open(to: string, options: OpenOptions = {}): RequestPromise<OpenedFrame> {
    const frame = options.context === undefined ? { type: 'open' as const, to } : { type: 'open' as const, to, context: options.context };
    return this.request<OpenedFrame>(frame, { timeout: options.timeout ?? this.openTimeout }, {
      onReply: (opened) => this.follow((opened as OpenedFrame).conversation, 0),
      ...(options.onQueued ? { onQueued: options.onQueued } : {}),
    });
  }

  /** Gives up an `open` waiting in a queue (extension); the open then fails with `cancelled`. */
  cancelOpen(openId: string, options?: RequestOptions): Promise<void> {
    return this.request<void>({ type: 'cancel', open: openId }, options);
  }

  /** Accepts an offer; the client then follows the conversation (and, for a transfer, replays it from the start). */
  accept(conversation: string, options?: RequestOptions): Promise<void> {
    return this.request<void>({ type: 'accept', conversation }, options, {
      onReply: () => {
        const offer = this.offers.get(conversation);
        this.offers.delete(conversation);
        this.follow(conversation, 0);
        if (offer?.transfer) {
          // The new member gets the conversation so far through resume (docs/PROTOCOL.md, Transfer).
          this.resume(conversation, 0).catch((error: SwitchboardError) => this.resumeFailed(conversation, error));
        }
      },
    });
  }

  decline(conversation: string, options?: RequestOptions): Promise<void> {
    return this.request<void>({ type: 'decline', conversation }, options, {
      onReply: () => this.offers.delete(conversation),
    });
  }

  /** Sends a message; resolves with its `ack` (the message's `seq`). */
  send(conversation: string, body: string, options?: RequestOptions): RequestPromise<AckFrame> {
    return this.request<AckFrame>({ type: 'send', conversation, body }, options, {
      onReply: () => this.follow(conversation, 0),
    });
  }

  closeConversation(conversation: string, options?: RequestOptions): Promise<void> {
    return this.request<void>({ type: 'close', conversation }, options);
  }

  /**
   * Asks again for the messages after `after` (default: the last seq delivered) and follows the conversation from
   * then on; the client does this by itself after every reconnect. Messages already delivered are not repeated.
   */
  resume(conversation: string, after?: number, options?: RequestOptions): Promise<void> {
    const followed = this.follow(conversation, after ?? 0);
    const from = after ?? followed.lastSeq;
    followed.held ??= new Map();
    return this.request<void>({ type: 'resume', conversation, after: from }, options, {
      onReply: () => this.resumed(conversation, followed, null),
      onError: (error) => this.resumed(conversation, followed, error),
    });
  }

  /** A page of the conversation's transcript (at most `limit` messages after `after`). */
  transcript(conversation: string, page: { after?: number; limit?: number } = {}, options?: RequestOptions): Promise<TranscriptFrame> {
    return this.request<TranscriptFrame>({ type: 'transcript', conversation, ...page }, options);
  }

  getRules(options?: RequestOptions): Promise<RulesDocument> {
    return this.request<RulesFrame>({ type: 'get-rules' }, options).then((rules) => rules.document);
  }

  setRules(document: RulesDocument, options?: RequestOptions): Promise<void> {
    return this.request<void>({ type: 'set-rules', document }, options);
  }

  /** Hands a conversation to another user (extension); resolves once the target accepted. */
  transfer(conversation: string, to: string, note?: string, options?: RequestOptions): Promise<void> {
    const frame = note === undefined ? { type: 'transfer' as const, conversation, to } : { type: 'transfer' as const, conversation, to, note };
    return this.request<void>(frame, { timeout: options?.timeout ?? this.openTimeout });
  }

  /** Tells the server how a message should have been handled (extension). */
  feedback(conversation: string, seq: number, wanted: WantedHandling, options?: RequestOptions): Promise<void> {
    return this.request<void>({ type: 'feedback', conversation, seq, wanted }, options);
  }

  getSuggestions(options?: RequestOptions): Promise<Suggestion[]> {
    return this.request<SuggestionsFrame>({ type: 'get-suggestions' }, options).then((reply) => reply.suggestions);
  }

  adoptSuggestion(suggestion: string, options?: RequestOptions): Promise<void> {
    return this.request<void>({ type: 'adopt-suggestion', suggestion }, options);
  }

  dismissSuggestion(suggestion: string, options?: RequestOptions): Promise<void> {
    return this.request<void>({ type: 'dismiss-suggestion', suggestion }, options);
  }

  /**
   * Sends a request and resolves with its reply (`ok` resolves with nothing). Sent at once when ready, else kept
   * until the connection is ready again; the deadline runs from the call either way.
   */
  private request<T>(frame: DistributiveOmit<ClientFrame, 'id'>, options?: RequestOptions, hooks: Hooks = {}): RequestPromise<T> {
    const id = `r${++this.nextId}`;
    const full = { ...frame, id } as ClientFrame;
    const timeout = options?.timeout ?? this.requestTimeout;
    const promise = new Promise<T>((resolve, reject) => {
      if (this.currentState === 'closed') {
        reject(new SwitchboardError('closed', 'the client is closed', id));
        return;
      }
      const ready = this.connection?.ready === true;
      if (!ready && this.queue.length >= this.maxQueued) {
        reject(new SwitchboardError('queue_full', `${this.maxQueued} requests already wait for the connection`, id));
        return;
      }
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) {
          this.queue = this.queue.filter((queued) => queued !== id);
          const error = new SwitchboardError('deadline_exceeded', `no reply to ${frame.type} within ${timeout} ms`, id);
          hooks.onError?.(error);
          reject(error);
        }
      }, timeout);
      const pending: Pending = {
        id,
        frame: full,
        resolve: (reply) => resolve((reply.type === 'ok' ? undefined : reply) as T),
        reject,
        timer,
        hooks,
        sentOn: null,
      };
      this.pending.set(id, pending);
      if (ready) {
        this.transmit(pending);
      } else {
        this.queue.push(id);
      }
    });
    return withId(promise, id);
  }

  private transmit(pending: Pending): void {
    const connection = this.connection;
    if (connection?.ready) {
      pending.sentOn = connection;
      this.write(connection, pending.frame);
    }
  }

  private write(connection: Connection, frame: ClientFrame): void {
    if (connection.socket?.readyState === OPEN) {
      connection.socket.send(JSON.stringify(frame));
    }
  }

  private settle(id: string | undefined, reply: ServerFrame): boolean {
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending) {
      return false;
    }
    this.pending.delete(pending.id);
    clearTimeout(pending.timer);
    if (reply.type === 'error') {
      const error = new SwitchboardError(reply.code, reply.message, pending.id);
      pending.hooks.onError?.(error);
      pending.reject(error);
    } else {
      pending.hooks.onReply?.(reply);
      pending.resolve(reply);
    }
    return true;
  }

  // --- connecting

  private async attempt(): Promise<void> {
    this.reconnectTimer = null;
    this.setState('connecting');
    const connection: Connection = {
      socket: null,
      authId: `a${++this.nextId}`,
      token: null,
      node: '',
      heartbeat: 0,
      lastReceived: Date.now(),
      probing: false,
      ready: false,
      shutdown: null,
      connectTimer: null,
      heartbeatTimer: null,
    };
    this.connection = connection;
    connection.connectTimer = setTimeout(
      () => this.lost(connection, ABNORMAL, `not ready within ${this.connectTimeout} ms`), this.connectTimeout);
    let socket: WebSocketLike;
    try {
      const token = this.options.token;
      const [value, WebSocketClass] = await Promise.all([
        typeof token === 'function' ? token() : token,
        resolveWebSocket(this.options.WebSocket),
      ]);
      if (this.connection !== connection) {
        return;
      }
      connection.token = value;
      socket = new WebSocketClass(this.options.url);
    } catch (error) {
      this.lost(connection, ABNORMAL, `cannot connect: ${describe(error)}`);
      return;
    }
    connection.socket = socket;
    socket.onmessage = (event) => this.receive(connection, event.data);
    socket.onclose = (event) => this.lost(connection, event.code, event.reason);
    socket.onerror = () => undefined; // a close event follows
  }

  private receive(connection: Connection, data: unknown): void {
    if (this.connection !== connection) {
      return;
    }
    connection.lastReceived = Date.now();
    connection.probing = false;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      this.emit('error', new SwitchboardError('protocol', 'the server sent something that is not JSON'));
      return;
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') {
      this.emit('error', new SwitchboardError('protocol', 'the server sent a frame without a type'));
      return;
    }
    this.emit('frame', frame);
    this.dispatch(connection, frame);
  }

  private dispatch(connection: Connection, frame: ServerFrame): void {
    switch (frame.type) {
      case 'hello':
        connection.node = frame.node;
        this.hello(connection, frame.protocol, frame.heartbeat);
        return;
      case 'ready':
        if (frame.id === connection.authId) {
          this.ready(connection, frame.user, frame.session);
        }
        return;
      case 'error':
        if (frame.id !== undefined && frame.id === connection.authId) {
          if (frame.code === 'unauthenticated') {
            // A refused token will be refused again: stop rather than retry forever.
            this.stop(new SwitchboardError(frame.code, frame.message, frame.id), true);
          } else {
            // e.g. store_unavailable: another attempt may succeed.
            this.lost(connection, ABNORMAL, `auth failed: ${frame.code} ${frame.message}`);
          }
        } else if (!this.settle(frame.id, frame)) {
          this.emit('error', new SwitchboardError(frame.code, frame.message, frame.id));
        }
        return;
      case 'ok':
      case 'ack':
      case 'opened':
      case 'rules':
      case 'transcript':
        this.settle(frame.id, frame);
        return;
      case 'suggestions':
        if (!this.settle(frame.id, frame)) {
          this.emit('suggestions', frame);
        }
        return;
      case 'pong':
        return;
      case 'message':
        this.message(frame);
        return;
      case 'offer':
        this.rememberOffer(frame);
        this.emit('offer', frame);
        return;
      case 'offer-withdrawn':
        this.offers.delete(frame.conversation);
        this.emit('offer-withdrawn', frame);
        return;
      case 'presence':
        this.presenceChanged(frame);
        return;
      case 'queued':
        this.pending.get(frame.id)?.hooks.onQueued?.(frame);
        this.emit('queued', frame);
        return;
      case 'closed':
        this.followed.delete(frame.conversation);
        this.emit('closed', frame);
        return;
      case 'transferred':
        this.emit('transferred', frame);
        return;
      case 'notice':
        this.emit('notice', frame);
        return;
      case 'shutdown':
        connection.shutdown = frame;
        this.emit('shutdown', frame);
        return;
      default:
        // A frame type of a newer server: seen through the `frame` event only.
        return;
    }
  }

  private hello(connection: Connection, protocol: number, heartbeat: number): void {
    if (protocol !== PROTOCOL_VERSION) {
      this.stop(new SwitchboardError('protocol', `the server speaks protocol ${protocol}, this client ${PROTOCOL_VERSION}`), true);
      return;
    }
    connection.heartbeat = heartbeat;
    connection.heartbeatTimer = setInterval(() => this.checkHeartbeat(connection), Math.max(25, heartbeat / 4));
    this.write(connection, { type: 'auth', id: connection.authId, token: connection.token ?? '' });
  }

  /**
   * The server pings a silent WebSocket itself and the platform answers, so the client needs no pings to stay
   * connected. It pings only to learn whether the server is still there: after a heartbeat without a frame it
   * sends `ping`, and after two it gives the connection up and reconnects.
   */
  private checkHeartbeat(connection: Connection): void {
    const silent = Date.now() - connection.lastReceived;
    if (silent >= 2 * connection.heartbeat) {
      this.lost(connection, ABNORMAL, `nothing heard from the server for ${silent} ms`);
    } else if (silent >= connection.heartbeat && !connection.probing) {
      connection.probing = true;
      this.write(connection, { type: 'ping' });
    }
  }

  private ready(connection: Connection, user: string, session: string): void {
    if (connection.connectTimer) {
      clearTimeout(connection.connectTimer);
      connection.connectTimer = null;
    }
    connection.ready = true;
    this.failedAttempts = 0;
    const reconnected = this.everReady;
    this.everReady = true;
    this.identity = { user, session, node: connection.node };
    // Everything that arrives from now on for a followed conversation (the mailbox, live messages) is held
    // until its resume is answered, then delivered in seq order.
    const toResume = [...this.followed.keys()];
    toResume.forEach((conversation) => {
      this.followed.get(conversation)!.held = new Map();
    });
    this.setState('ready');
    this.restore(toResume);
    this.emit('ready', { user, session, node: this.identity.node, reconnected });
    this.waiters.splice(0).forEach((waiter) => waiter.resolve());
  }

  /** After a (re)connect: the status set and the watches again, a resume per conversation, then queued requests. */
  private restore(toResume: string[]): void {
    if (this.status) {
      this.request<void>({ type: 'status', ...this.status }).catch((error: SwitchboardError) => this.emit('error', error));
    }
    const users = [...this.watched];
    for (let i = 0; i < users.length; i += MAX_WATCH) {
      this.request<void>({ type: 'watch', users: users.slice(i, i + MAX_WATCH) })
        .catch((error: SwitchboardError) => this.emit('error', error));
    }
    toResume.forEach((conversation) => {
      this.resume(conversation).catch((error: SwitchboardError) => this.resumeFailed(conversation, error));
    });
    const queued = this.queue;
    this.queue = [];
    queued.forEach((id) => {
      const pending = this.pending.get(id);
      if (pending) {
        this.transmit(pending);
      }
    });
  }

  /**
   * The connection is gone (closed by either side, or given up): requests sent on it fail with `disconnected`,
   * and the client waits before the next attempt: the `shutdown` frame's `retryAfter` when the node said it is
   * going away, else the backoff.
   */
  private lost(connection: Connection, code: number, reason: string): void {
    if (this.connection !== connection) {
      return;
    }
    this.connection = null;
    this.dispose(connection);
    for (const pending of [...this.pending.values()]) {
      if (pending.sentOn === connection) {
        this.settle(pending.id, {
          type: 'error', id: pending.id, code: 'disconnected',
          message: `the connection was lost before the reply (${code}${reason ? ` ${reason}` : ''})`,
        });
      }
    }
    for (const followed of this.followed.values()) {
      // Messages held for a resume that did not finish come again with the next one.
      followed.held = null;
    }
    if (this.currentState === 'closed') {
      return;
    }
    const shutdown = connection.shutdown;
    if (this.backoff === null || (shutdown !== null && !shutdown.reconnect)) {
      this.emit('disconnected', { code, reason, reconnectIn: null });
      this.stop(new SwitchboardError('closed', `the connection closed (${code}${reason ? ` ${reason}` : ''})`), false);
      return;
    }
    let delay: number;
    if (shutdown !== null) {
      this.failedAttempts = 0;
      delay = shutdownDelay(shutdown.retryAfter);
    } else {
      delay = backoffDelay(this.failedAttempts++, this.backoff);
    }
    this.setState('waiting');
    this.emit('disconnected', { code, reason, reconnectIn: delay });
    this.reconnectTimer = setTimeout(() => void this.attempt(), delay);
  }

  private dispose(connection: Connection): void {
    if (connection.connectTimer) {
      clearTimeout(connection.connectTimer);
    }
    if (connection.heartbeatTimer) {
      clearInterval(connection.heartbeatTimer);
    }
    connection.ready = false;
    if (connection.socket) {
      abandon(connection.socket);
    }
  }

  /** Stops for good: no more attempts, every request rejected with `error`. */
  private stop(error: SwitchboardError, report: boolean): void {
    if (this.currentState === 'closed') {
      return;
    }
    this.setState('closed');
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      if (connection.socket?.readyState === OPEN) {
        connection.socket.close(1000);
      }
      this.dispose(connection);
    }
    for (const pending of [...this.pending.values()]) {
      this.settle(pending.id, { type: 'error', id: pending.id, code: error.code, message: error.message });
    }
    this.queue = [];
    this.waiters.splice(0).forEach((waiter) => waiter.reject(error));
    if (report) {
      this.emit('error', error);
    }
  }

  private setState(state: ClientState): void {
    if (this.currentState !== state) {
      this.currentState = state;
      this.emit('state', state);
    }
  }

  // --- conversations

  private follow(conversation: string, lastSeq: number): Followed {
    let followed = this.followed.get(conversation);
    if (!followed) {
      if (this.followed.size >= MAX_FOLLOWED) {
        this.followed.delete(this.followed.keys().next().value as string);
      }
      followed = { lastSeq, held: null };
      this.followed.set(conversation, followed);
    }
    return followed;
  }

  /** Delivers a message once and in order: held while its conversation resumes, dropped if already delivered. */
  private message(frame: MessageFrame): void {
    const followed = this.followed.get(frame.conversation) ?? this.follow(frame.conversation, 0);
    if (followed.held) {
      if (frame.seq > followed.lastSeq) {
        followed.held.set(frame.seq, frame);
      }
      if (followed.held.size > this.maxResumeBuffer) {
        // Bounded: deliver what is held now and the rest as it comes.
        this.release(followed);
      }
      return;
    }
    this.deliver(followed, frame);
  }

  private deliver(followed: Followed, frame: MessageFrame): void {
    if (frame.seq > followed.lastSeq) {
      followed.lastSeq = frame.seq;
      this.emit('message', frame);
    }
  }

  private resumed(conversation: string, followed: Followed, error: SwitchboardError | null): void {
    if (this.followed.get(conversation) === followed && followed.held) {
      this.release(followed);
    }
    if (error !== null && (error.code === 'gone' || error.code === 'forbidden' || error.code === 'not_found')) {
      this.followed.delete(conversation);
    }
  }

  private release(followed: Followed): void {
    const held = followed.held;
    followed.held = null;
    if (held) {
      [...held.values()].sort((a, b) => a.seq - b.seq).forEach((frame) => this.deliver(followed, frame));
    }
  }

  /** A resume cut short by the connection is tried again on the next one; other failures are the app's to know. */
  private resumeFailed(conversation: string, error: SwitchboardError): void {
    if (error.code !== 'disconnected' && error.code !== 'closed') {
      this.emit('resume-failed', { conversation, error });
    }
  }

  private rememberOffer(offer: OfferFrame): void {
    this.offers.delete(offer.conversation);
    if (this.offers.size >= MAX_OFFERS) {
      this.offers.delete(this.offers.keys().next().value as string);
    }
    this.offers.set(offer.conversation, offer);
  }

  /** Reports a watched user's status only when it changed: re-watching after a reconnect repeats unchanged ones. */
  private presenceChanged(frame: PresenceFrame): void {
    const last = this.presence.get(frame.user);
    if (last && last.status === frame.status) {
      return;
    }
    if (this.watched.has(frame.user)) {
      this.presence.set(frame.user, frame);
    }
    this.emit('presence', frame);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function withId<T>(promise: Promise<T>, id: string): RequestPromise<T> {
  return Object.assign(promise, { id });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
