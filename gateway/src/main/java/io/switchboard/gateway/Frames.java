package io.switchboard.gateway;

import io.switchboard.contract.ClosedEvent;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.MessageEvent;
import io.switchboard.rules.Suggestions;
import io.switchboard.contract.NoticeEvent;
import io.switchboard.contract.OfferEvent;
import io.switchboard.contract.OfferWithdrawnEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.TransferredEvent;
import io.switchboard.contract.UserEvent;
import io.switchboard.contract.Version;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The protocol's frames (PROTOCOL.md): reading client frames strictly, writing server frames. */
final class Frames {

  static final int PROTOCOL_VERSION = 1;
  /** How long a client told to reconnect by {@link #shutdown()} waits first. */
  static final long SHUTDOWN_RETRY_AFTER_MILLIS = 1000;

  private Frames() {
  }

  /** Parses one frame from its (valid) UTF-8 bytes; {@code bad_frame} for anything but a JSON object with a string {@code type} and an optional string {@code id}. */
  static JsonObject parse(Buffer utf8) {
    // Parsed from bytes, Jackson guesses the encoding from NULs in the first four: valid JSON has none anywhere.
    for (int i = 0; i < Math.min(4, utf8.length()); i++) {
      if (utf8.getByte(i) == 0) {
        throw badFrame("not JSON");
      }
    }
    Object value;
    try {
      value = Json.decodeValue(utf8);
    } catch (DecodeException e) {
      throw badFrame("not JSON");
    }
    if (!(value instanceof JsonObject frame)) {
      throw badFrame("a frame must be a JSON object");
    }
    if (!(frame.getValue("type") instanceof String)) {
      throw badFrame("a frame needs a string type");
    }
    Object id = frame.getValue("id");
    if (id != null && !(id instanceof String)) {
      throw badFrame("id must be a string");
    }
    return frame;
  }

  /** The id of a frame that is refused unread, so that its error still answers it; null when it has none. */
  static String idOf(Buffer utf8) {
    try {
      return parse(utf8).getString("id");
    } catch (SwitchboardException notAFrame) {
      return null;
    }
  }

  static SwitchboardException badFrame(String message) {
    return new SwitchboardException(ErrorCode.BAD_FRAME, message);
  }

  static String requiredString(JsonObject frame, String field) {
    Object value = frame.getValue(field);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw badFrame(field + " must be a non-empty string");
    }
    return text;
  }

  static String optionalString(JsonObject frame, String field) {
    Object value = frame.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw badFrame(field + " must be a string");
    }
    return (String) value;
  }

  static JsonObject optionalObject(JsonObject frame, String field) {
    Object value = frame.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw badFrame(field + " must be an object");
    }
    return object;
  }

  /** A seq to start after: absent means 0 (from the start). */
  static long optionalSeq(JsonObject frame, String field) {
    Object value = frame.getValue(field);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw badFrame(field + " must be a seq (a whole number, 0 or more)");
    }
    return ((Number) value).longValue();
  }

  /** A count from 1 to {@code max}: absent means {@code max}. */
  static int optionalCount(JsonObject frame, String field, int max) {
    Object value = frame.getValue(field);
    if (value == null) {
      return max;
    }
    if (!(value instanceof Integer count) || count < 1 || count > max) {
      throw badFrame(field + " must be a whole number from 1 to " + max);
    }
    return count;
  }

  static List<String> userList(JsonObject frame, String field, int max) {
    Object value = frame.getValue(field);
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > max) {
      throw badFrame(field + " must be an array of 1 to " + max + " user ids");
    }
    List<String> users = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String user) || user.isEmpty()) {
        throw badFrame(field + " must hold user ids (strings)");
      }
      users.add(user);
    }
    return users;
  }

  static JsonObject hello(String node, long heartbeat) {
    return new JsonObject().put("type", "hello").put("protocol", PROTOCOL_VERSION).put("node", node)
        .put("heartbeat", heartbeat).put("server", Version.SERVER);
  }

  /** A node going away (docs/PROTOCOL.md): the client reconnects, through the load balancer, and resumes. */
  static JsonObject shutdown() {
    return new JsonObject().put("type", "shutdown").put("reconnect", true).put("retryAfter", SHUTDOWN_RETRY_AFTER_MILLIS);
  }

  /** A reply frame of {@code type} to the request {@code id} (no id when the request had none). */
  static JsonObject reply(String type, String id) {
    JsonObject frame = new JsonObject().put("type", type);
    if (id != null) {
      frame.put("id", id);
    }
    return frame;
  }

  static JsonObject error(String id, ErrorCode code, String message) {
    return reply("error", id).put("code", code.wire()).put("message", message);
  }

  static JsonObject presence(PresenceChange change) {
    return new JsonObject().put("type", "presence").put("user", change.user()).put("status", change.status())
        .put("virtual", change.virtual());
  }

  static JsonObject event(UserEvent event) {
    if (event instanceof OfferEvent offer) {
      JsonObject frame = new JsonObject().put("type", "offer").put("conversation", offer.conversation())
          .put("from", offer.from()).put("to", offer.to()).put("expires", offer.expires());
      return offer.transfer() == null ? frame : frame.put("transfer", offer.transfer().toJson());
    }
    if (event instanceof TransferredEvent transferred) {
      return new JsonObject().put("type", "transferred").put("conversation", transferred.conversation())
          .put("to", transferred.to()).put("agent", transferred.agent());
    }
    if (event instanceof OfferWithdrawnEvent withdrawn) {
      return new JsonObject().put("type", "offer-withdrawn").put("conversation", withdrawn.conversation())
          .put("reason", withdrawn.reason());
    }
    if (event instanceof MessageEvent message) {
      return message(message);
    }
    if (event instanceof NoticeEvent notice) {
      JsonObject frame = new JsonObject().put("type", "notice").put("action", notice.action());
      if (notice.rule() != null) {
        frame.put("rule", notice.rule());
      }
      return frame.put("conversation", notice.conversation()).put("count", notice.count());
    }
    ClosedEvent closed = (ClosedEvent) event;
    return new JsonObject().put("type", "closed").put("conversation", closed.conversation()).put("by", closed.by())
        .put("reason", closed.reason());
  }

  /** A {@code suggestions} frame: the reply to {@code get-suggestions}, or pushed (no id) when some appear. */
  static JsonObject suggestions(String id, List<Suggestions.Suggestion> suggestions) {
    return reply("suggestions", id).put("suggestions", Suggestions.toJson(suggestions));
  }

  static JsonObject message(MessageEvent message) {
    JsonObject frame = new JsonObject().put("type", "message").put("conversation", message.conversation())
        .put("from", message.from()).put("seq", message.seq()).put("ts", message.ts()).put("body", message.body())
        .put("notify", message.notifyLevel());
    if (message.agent() != null) {
      frame.put("agent", message.agent());
    }
    if (message.auto()) {
      frame.put("auto", true);
    }
    if (message.rule() != null) {
      frame.put("rule", message.rule());
    }
    return frame;
  }
}
