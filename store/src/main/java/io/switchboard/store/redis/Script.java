package io.switchboard.store.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The store's Lua scripts, one resource file each ({@code io/switchboard/store/redis/<name>.lua}) with the shared
 * {@code lib.lua} in front. A script runs by its SHA1 ({@code EVALSHA}); {@link RedisConnector} loads them all
 * when it connects and sends the source again ({@code EVAL}) to a server that answers {@code NOSCRIPT}.
 */
enum Script {
  CLAIM_ID,
  PUT_PROFILE,
  JOIN_VIRTUAL_USER,
  PUT_VIRTUAL_USER,
  APPLY_MEMBER,
  PRESENCE,
  VIRTUAL_USER_STATUS,
  RENEW_LEASE,
  CLAIM_NODE,
  ROUTING_STATE,
  START_OPEN,
  RESERVE,
  RELEASE,
  RECORD_DECISION,
  ENTER_CONVERSATION,
  LEAVE_CONVERSATION,
  RECORD_HISTORY,
  CONVERSATION,
  RESTORE_CONVERSATION,
  CLOSE,
  TRANSFER,
  APPEND,
  DELIVER,
  REQUEUE,
  TRANSCRIPT,
  TAKE_LIST,
  MARK_HANDLING,
  RELEASE_HELD,
  PUSH_BOUNDED,
  ADAPTIVE_STATE,
  OBSERVE,
  HANDLING_STATE,
  KEEP_LATEST,
  ENQUEUE,
  DEQUEUE,
  QUEUE_RETURN,
  QUEUE_HEAD,
  RECORD_HANDLING;

  private static final String LIB = "lib";

  private final String source;
  private final String sha;
  private final String operation;

  Script() {
    operation = name().toLowerCase(Locale.ROOT);
    source = resource(LIB) + "\n" + resource(operation);
    sha = sha1(source);
  }

  /** The script's name in the store's metrics, as in its file name. */
  String operation() {
    return operation;
  }

  String source() {
    return source;
  }

  /** The SHA1 Redis knows the script by once loaded. */
  String sha() {
    return sha;
  }

  Request evalSha(List<String> keys, List<String> args) {
    return invocation(Request.cmd(Command.EVALSHA).arg(sha), keys, args);
  }

  Request eval(List<String> keys, List<String> args) {
    return invocation(Request.cmd(Command.EVAL).arg(source), keys, args);
  }

  Request load() {
    return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source);
  }

  private static Request invocation(Request request, List<String> keys, List<String> args) {
    request.arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static String resource(String name) {
    String path = name + ".lua";
    try (InputStream in = Script.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script resource " + path, e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
