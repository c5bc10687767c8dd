package io.switchboard.client;

/**
 * What a client tells its app. Every method has an empty default: implement those of interest. They are called
 * on the client's event loop, one at a time: they must not block (hand long work to a worker).
 */
public interface ClientListener {

  /** The client is ready: its first connection ({@code reconnected} false), or a new one after a loss. */
  record Ready(String user, String session, String node, boolean reconnected) {
  }

  /**
   * A connection was lost: {@code code} is the WebSocket close code (1006 when the client gave the connection up
   * itself, 1001 after a shutdown frame, 0 for a TCP connection that ended); {@code reconnectIn} is the delay before
   * the next attempt in ms, or null when the client stops.
   */
  record Disconnected(int code, String reason, Long reconnectIn) {
  }

  default void onState(ClientState state) {
  }

  default void onReady(Ready ready) {
  }

  default void onDisconnected(Disconnected disconnected) {
  }

  /** The node is going away; the client reconnects after its {@code retryAfter} (with jitter) unless told not to. */
  default void onShutdown(ServerFrame.Shutdown shutdown) {
  }

  default void onOffer(ServerFrame.Offer offer) {
  }

  default void onOfferWithdrawn(ServerFrame.OfferWithdrawn withdrawn) {
  }

  /** Each message once, in {@code seq} order per conversation, across reconnects. */
  default void onMessage(ServerFrame.Message message) {
  }

  /** A watched user's status, when it differs from the last one reported. */
  default void onPresence(ServerFrame.Presence presence) {
  }

  default void onNotice(ServerFrame.Notice notice) {
  }

  default void onClosed(ServerFrame.Closed closed) {
  }

  default void onQueued(ServerFrame.Queued queued) {
  }

  default void onTransferred(ServerFrame.Transferred transferred) {
  }

  /** New rules suggestions pushed by the server. */
  default void onSuggestions(ServerFrame.Suggestions suggestions) {
  }

  /**
   * A conversation could not be resumed after a reconnect: with code {@code gone} it was closed meanwhile, and the
   * client no longer follows it.
   */
  default void onResumeFailed(String conversation, SwitchboardException error) {
  }

  /** An error frame no request waits for, or the failure that stopped the client. */
  default void onError(SwitchboardException error) {
  }

  /** Every frame as it arrives, before the other calls (for logging). */
  default void onFrame(ServerFrame frame) {
  }
}
