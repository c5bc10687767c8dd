package io.switchboard.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A frame the server sends (docs/PROTOCOL.md, with its extensions), read from its JSON. Unknown fields are ignored;
 * a frame type this client does not know arrives as {@link Unknown}.
 */
public sealed interface ServerFrame {

  /** The frame's {@code type}. */
  String type();

  /** The request id a reply carries; null for frames the server sends on its own. */
  default String id() {
    return null;
  }

  /** {@code server} names the node's software and version ({@code switchboard/<version>}); null from older nodes. */
  record Hello(int protocol, String node, long heartbeat, String server) implements ServerFrame {
    public String type() {
      return "hello";
    }
  }

  record Ready(String id, String user, String session) implements ServerFrame {
    public String type() {
      return "ready";
    }
  }

  record Pong(String id) implements ServerFrame {
    public String type() {
      return "pong";
    }
  }

  record Ok(String id) implements ServerFrame {
    public String type() {
      return "ok";
    }
  }

  /** A refused request (with its id) or a problem with none; {@code code} as in docs/PROTOCOL.md § Errors. */
  record ErrorFrame(String id, String code, String message) implements ServerFrame {
    public String type() {
      return "error";
    }
  }

  /** A watched user's status: online, busy, away or offline; for a virtual user, the aggregate of its members. */
  record Presence(String user, String status, boolean virtual) implements ServerFrame {
    public String type() {
      return "presence";
    }
  }

  /** Present on an offer that hands over a conversation under way. */
  record TransferInfo(String from, String note) {
  }

  /** {@code to} is the virtual user offered, or the user itself; {@code transfer} is null unless it is a transfer. */
  record Offer(String conversation, String from, String to, long expires, TransferInfo transfer) implements ServerFrame {
    public String type() {
      return "offer";
    }
  }

  /** {@code reason}: timeout, answered or cancelled. */
  record OfferWithdrawn(String conversation, String reason) implements ServerFrame {
    public String type() {
      return "offer-withdrawn";
    }
  }

  /** {@code agent} is null unless the virtual user reveals its members. */
  record Opened(String id, String conversation, String to, String agent) implements ServerFrame {
    public String type() {
      return "opened";
    }
  }

  /** An open waiting in a virtual user's queue; {@code id} is the open's, {@code estimatedWait} ms or null. */
  record Queued(String id, String to, int position, Long estimatedWait) implements ServerFrame {
    public String type() {
      return "queued";
    }
  }

  record Ack(String id, String conversation, long seq) implements ServerFrame {
    public String type() {
      return "ack";
    }
  }

  /**
   * A message; {@code notifyLevel} (the frame's {@code notify}) is popup, silent or none: pop a window up only for
   * popup. {@code agent} and {@code rule} are null when absent; {@code auto} marks an automatic reply.
   */
  record Message(String conversation, String from, long seq, long ts, String body, String notifyLevel, String agent,
                 boolean auto, String rule) implements ServerFrame {
    public String type() {
      return "message";
    }
  }

  /** {@code reason}: closed, disconnected or transferred (null from a server that gives none). */
  record Closed(String conversation, String by, String reason) implements ServerFrame {
    public String type() {
      return "closed";
    }
  }

  record Transferred(String conversation, String to, String agent) implements ServerFrame {
    public String type() {
      return "transferred";
    }
  }

  /**
   * What the user's handling rules did (held, released, auto-replied, dropped, transcript…), or what a full list
   * refused (held-full, mailbox-full).
   */
  record Notice(String action, String rule, String conversation, int count) implements ServerFrame {
    public String type() {
      return "notice";
    }
  }

  record Rules(String id, JsonObject document) implements ServerFrame {
    public String type() {
      return "rules";
    }
  }

  /** One message of a transcript; {@code handling}: delivered, held, transcript or dropped. */
  record TranscriptEntry(long seq, String from, long ts, String body, String notifyLevel, String handling, String agent,
                         boolean auto) {
  }

  record Transcript(String id, String conversation, List<TranscriptEntry> messages, boolean more) implements ServerFrame {
    public String type() {
      return "transcript";
    }
  }

  /** The node is going away: reconnect (elsewhere) after {@code retryAfter} ms, unless {@code reconnect} is false. */
  record Shutdown(boolean reconnect, long retryAfter) implements ServerFrame {
    public String type() {
      return "shutdown";
    }
  }

  /** A proposed handling rule; {@code activation} is null when the rule is always active. */
  record Suggestion(String id, JsonObject rule, JsonObject activation, String evidence, int support, double confidence) {
  }

  /** The reply to get-suggestions (with its id), or new suggestions pushed without one. */
  record Suggestions(String id, List<Suggestion> suggestions) implements ServerFrame {
    public String type() {
      return "suggestions";
    }
  }

  /** A frame type of a newer server, as received. */
  record Unknown(String type, String id, JsonObject json) implements ServerFrame {
  }

  /** Reads a frame; throws {@link IllegalArgumentException} when a known type lacks a field or has one mistyped. */
  static ServerFrame read(JsonObject json) {
    String type = json.getString("type");
    try {
      return switch (type) {
        case "hello" -> new Hello(json.getInteger("protocol"), json.getString("node"), json.getLong("heartbeat"),
            json.getString("server"));
        case "ready" -> new Ready(json.getString("id"), json.getString("user"), json.getString("session"));
        case "pong" -> new Pong(json.getString("id"));
        case "ok" -> new Ok(json.getString("id"));
        case "error" -> new ErrorFrame(json.getString("id"), json.getString("code"), json.getString("message"));
        case "presence" -> new Presence(json.getString("user"), json.getString("status"), json.getBoolean("virtual", false));
        case "offer" -> {
          JsonObject transfer = json.getJsonObject("transfer");
          yield new Offer(json.getString("conversation"), json.getString("from"), json.getString("to"),
              json.getLong("expires"), transfer == null ? null
                  : new TransferInfo(transfer.getString("from"), transfer.getString("note")));
        }
        case "offer-withdrawn" -> new OfferWithdrawn(json.getString("conversation"), json.getString("reason"));
        case "opened" -> new Opened(json.getString("id"), json.getString("conversation"), json.getString("to"),
            json.getString("agent"));
        case "queued" -> new Queued(json.getString("id"), json.getString("to"), json.getInteger("position"),
            json.getLong("estimatedWait"));
        case "ack" -> new Ack(json.getString("id"), json.getString("conversation"), json.getLong("seq"));
        case "message" -> new Message(json.getString("conversation"), json.getString("from"), json.getLong("seq"),
            json.getLong("ts"), json.getString("body"), json.getString("notify"), json.getString("agent"),
            json.getBoolean("auto", false), json.getString("rule"));
        case "closed" -> new Closed(json.getString("conversation"), json.getString("by"), json.getString("reason"));
        case "transferred" -> new Transferred(json.getString("conversation"), json.getString("to"),
            json.getString("agent"));
        case "notice" -> new Notice(json.getString("action"), json.getString("rule"), json.getString("conversation"),
            json.getInteger("count", 0));
        case "rules" -> new Rules(json.getString("id"), json.getJsonObject("document"));
        case "transcript" -> new Transcript(json.getString("id"), json.getString("conversation"),
            entries(json.getJsonArray("messages")), json.getBoolean("more", false));
        case "shutdown" -> new Shutdown(json.getBoolean("reconnect", true), json.getLong("retryAfter", 0L));
        case "suggestions" -> new Suggestions(json.getString("id"), suggestions(json.getJsonArray("suggestions")));
        default -> new Unknown(type, json.getValue("id") instanceof String id ? id : null, json);
      };
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("a " + type + " frame with a missing or mistyped field: " + json.encode(), e);
    }
  }

  private static List<TranscriptEntry> entries(JsonArray messages) {
    List<TranscriptEntry> entries = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      JsonObject entry = messages.getJsonObject(i);
      entries.add(new TranscriptEntry(entry.getLong("seq"), entry.getString("from"), entry.getLong("ts"),
          entry.getString("body"), entry.getString("notify"), entry.getString("handling"), entry.getString("agent"),
          entry.getBoolean("auto", false)));
    }
    return List.copyOf(entries);
  }

  private static List<Suggestion> suggestions(JsonArray suggestions) {
    List<Suggestion> list = new ArrayList<>(suggestions.size());
    for (int i = 0; i < suggestions.size(); i++) {
      JsonObject suggestion = suggestions.getJsonObject(i);
      list.add(new Suggestion(suggestion.getString("id"), suggestion.getJsonObject("rule"),
          suggestion.getJsonObject("activation"), suggestion.getString("evidence"),
          suggestion.getInteger("support", 0), suggestion.getDouble("confidence", 0.0)));
    }
    return List.copyOf(list);
  }
}
