package io.switchboard.gateway;

import io.switchboard.contract.ClosedEvent;
import io.switchboard.contract.ErrorCode;
import io.switchboard.contract.MessageEvent;
import io.switchboard.contract.NoticeEvent;
import io.switchboard.contract.OfferEvent;
import io.switchboard.contract.PresenceChange;
import io.switchboard.contract.SwitchboardException;
import io.switchboard.contract.UserEvent;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The protocol's frames (PROTOCOL.md): reading client frames strictly, writing server frames. */
final class Frames {

  static final int PROTOCOL_VERSION = 1;

  private Frames() {
  }

  /** Parses one frame; {@code bad_frame} for anything but a JSON object with a string {@code type} and an optional string {@code id}. */
  static JsonObject parse(String text) {
    Object value;
    try {
      value = io.vertx.core.json.Json.decodeValue(text);
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
        .put("heartbeat", heartbeat);
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
      return new JsonObject().put("type", "offer").put("conversation", offer.conversation()).put("from", offer.from())
          .put("to", offer.to()).put("expires", offer.expires());
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
    return frame;
  }
}
