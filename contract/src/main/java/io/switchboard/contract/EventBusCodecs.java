package io.switchboard.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * The codecs of the records that travel the event bus. Between verticles of one node a record is handed over as it
 * is: records are immutable (and receivers treat their JSON parts as read-only), so a message costs no encoding,
 * copy or parsing on its way from the store to the connection. Between nodes it is written as its JSON.
 */
public final class EventBusCodecs {

  private static final Set<EventBus> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

  private EventBusCodecs() {
  }

  /** Makes these records the bodies {@code bus} sends as they are; a bus already set up is left as it is. */
  public static synchronized void registerOn(EventBus bus) {
    if (!REGISTERED.add(bus)) {
      return;
    }
    register(bus, UserDelivery.class, UserDelivery::toJson, UserDelivery::fromJson);
    register(bus, OpenOutcome.class, OpenOutcome::toJson, OpenOutcome::fromJson);
    register(bus, OpenProgress.class, OpenProgress::toJson, OpenProgress::fromJson);
    register(bus, CancelOpen.class, CancelOpen::toJson, CancelOpen::fromJson);
    register(bus, OpenRequest.class, OpenRequest::toJson, OpenRequest::fromJson);
    register(bus, OpenAccepted.class, OpenAccepted::toJson, OpenAccepted::fromJson);
    register(bus, AnswerRequest.class, AnswerRequest::toJson, AnswerRequest::fromJson);
    register(bus, CloseRequest.class, CloseRequest::toJson, CloseRequest::fromJson);
    register(bus, TransferRequest.class, TransferRequest::toJson, TransferRequest::fromJson);
    register(bus, SessionRef.class, SessionRef::toJson, SessionRef::fromJson);
    register(bus, StatusRequest.class, StatusRequest::toJson, StatusRequest::fromJson);
    register(bus, PresenceChange.class, PresenceChange::toJson, PresenceChange::fromJson);
  }

  private static <T> void register(EventBus bus, Class<T> type, Function<T, JsonObject> toJson,
                                   Function<JsonObject, T> fromJson) {
    bus.registerDefaultCodec(type, new RecordCodec<>("switchboard." + type.getSimpleName(), toJson, fromJson));
  }

  /** A record as it is within a node, as length-prefixed JSON between nodes. */
  private record RecordCodec<T>(String name, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson)
      implements MessageCodec<T, T> {

    @Override
    public void encodeToWire(Buffer buffer, T record) {
      Buffer json = toJson.apply(record).toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return fromJson.apply(new JsonObject(buffer.slice(pos + 4, pos + 4 + length)));
    }

    @Override
    public T transform(T record) {
      return record;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
