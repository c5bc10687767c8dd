package io.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Records what a client tells its listeners, for a test thread to wait on (with a deadline). */
final class Recorder implements ClientListener {

  /** An event and when it was heard. */
  record Heard(Object event, long at) {
  }

  private static final long POLL_MILLIS = 10;
  private final List<Heard> heard = new ArrayList<>();

  private synchronized void add(Object event) {
    heard.add(new Heard(event, System.currentTimeMillis()));
    notifyAll();
  }

  /** The events of {@code type} heard so far, in order. */
  synchronized <T> List<T> all(Class<T> type) {
    return heard.stream().map(Heard::event).filter(type::isInstance).map(type::cast).toList();
  }

  /** Every event heard so far, with its time. */
  synchronized List<Heard> heard() {
    return List.copyOf(heard);
  }

  /** Waits until {@code condition} gives a value (not null and not false) and returns it; fails after {@code timeout}. */
  synchronized <T> T await(String what, Duration timeout, Supplier<T> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (;;) {
      T value = condition.get();
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; heard " + heard);
      }
      try {
        // Woken by each event; conditions on other state (the client's, a server's) are polled as well.
        wait(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  <T> T await(String what, Supplier<T> condition) {
    return await(what, TestNode.WAIT, condition);
  }

  /** Waits for the {@code index}-th (from 0) event of {@code type}. */
  <T> T awaitNth(Class<T> type, int index) {
    return await((index + 1) + " × " + type.getSimpleName(), () -> {
      List<T> events = all(type);
      return events.size() > index ? events.get(index) : null;
    });
  }

  @Override
  public void onState(ClientState state) {
    add(state);
  }

  @Override
  public void onReady(Ready ready) {
    add(ready);
  }

  @Override
  public void onDisconnected(Disconnected disconnected) {
    add(disconnected);
  }

  @Override
  public void onShutdown(ServerFrame.Shutdown shutdown) {
    add(shutdown);
  }

  @Override
  public void onOffer(ServerFrame.Offer offer) {
    add(offer);
  }

  @Override
  public void onOfferWithdrawn(ServerFrame.OfferWithdrawn withdrawn) {
    add(withdrawn);
  }

  @Override
  public void onMessage(ServerFrame.Message message) {
    add(message);
  }

  @Override
  public void onPresence(ServerFrame.Presence presence) {
    add(presence);
  }

  @Override
  public void onClosed(ServerFrame.Closed closed) {
    add(closed);
  }

  @Override
  public void onQueued(ServerFrame.Queued queued) {
    add(queued);
  }

  @Override
  public void onTransferred(ServerFrame.Transferred transferred) {
    add(transferred);
  }

  @Override
  public void onNotice(ServerFrame.Notice notice) {
    add(notice);
  }

  @Override
  public void onSuggestions(ServerFrame.Suggestions suggestions) {
    add(suggestions);
  }

  @Override
  public void onResumeFailed(String conversation, SwitchboardException error) {
    add(new ResumeFailed(conversation, error));
  }

  @Override
  public void onError(SwitchboardException error) {
    add(error);
  }

  @Override
  public void onFrame(ServerFrame frame) {
    if (frame instanceof ServerFrame.Pong pong) {
      add(pong);
    }
  }

  record ResumeFailed(String conversation, SwitchboardException error) {
  }
}
