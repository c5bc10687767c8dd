package io.switchboard.contract;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.switchboard.contract.Status.AWAY;
import static io.switchboard.contract.Status.BUSY;
import static io.switchboard.contract.Status.OFFLINE;
import static io.switchboard.contract.Status.ONLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Status aggregation (docs/PRODUCT.md §Presence) and the error codes modules pass to each other (PROTOCOL.md §Errors). */
class StatusTest {

  /** The rows of docs/PRODUCT.md's table of presence, members listed so that the winner is never simply the first. */
  static Stream<Arguments> aggregateRows() {
    return Stream.of(
        arguments("online: at least one member online", List.of(OFFLINE, AWAY, BUSY, ONLINE), ONLINE),
        arguments("busy: none online, one busy, the others away or offline", List.of(AWAY, OFFLINE, BUSY), BUSY),
        arguments("away: none online or busy, one away", List.of(OFFLINE, AWAY, OFFLINE), AWAY),
        arguments("offline: every member offline", List.of(OFFLINE, OFFLINE), OFFLINE),
        arguments("offline: no members at all", List.of(), OFFLINE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("aggregateRows")
  void aggregatesMembersByPrecedence(String row, List<Status> members, Status expected) {
    assertEquals(expected, Status.aggregate(members));
  }

  @Test
  void wireNamesAreTheProtocolErrorCodes() {
    Set<String> protocol = Set.of("bad_frame", "unknown_type", "unauthenticated", "forbidden", "not_found",
        "unavailable", "timeout", "gone", "rate_limited", "too_large", "store_unavailable", "internal",
        // extensions, second round: an open withdrawn by cancel
        "cancelled");
    assertEquals(protocol, Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet()));
  }

  /**
   * Nodes of different builds exchange errors by failure code: each code is fixed, whatever the enum's order, and
   * a new one takes a new number.
   */
  @Test
  void everyErrorHasItsOwnFixedFailureCode() {
    Map<String, Integer> fixed = Map.ofEntries(Map.entry("bad_frame", 4000), Map.entry("unknown_type", 4001),
        Map.entry("unauthenticated", 4002), Map.entry("forbidden", 4003), Map.entry("not_found", 4004),
        Map.entry("unavailable", 4005), Map.entry("timeout", 4006), Map.entry("gone", 4007),
        Map.entry("rate_limited", 4008), Map.entry("too_large", 4009), Map.entry("store_unavailable", 4010),
        Map.entry("internal", 4011), Map.entry("cancelled", 4012));
    assertEquals(fixed, Arrays.stream(ErrorCode.values())
        .collect(Collectors.toMap(ErrorCode::wire, ErrorCode::failureCode)));
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void failureCodeRoundTrips(ErrorCode code) {
    assertSame(code, ErrorCode.ofFailureCode(code.failureCode()));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 1, 500, 3999})
  void foreignFailureCodesAreInternal(int failureCode) {
    assertSame(ErrorCode.INTERNAL, ErrorCode.ofFailureCode(failureCode));
  }

  @Test
  void failureCodeJustPastTheLastCodeIsInternal() {
    ErrorCode last = ErrorCode.values()[ErrorCode.values().length - 1];
    assertSame(ErrorCode.INTERNAL, ErrorCode.ofFailureCode(last.failureCode() + 1));
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void replyExceptionFromTheEventBusKeepsItsCodeAndMessage(ErrorCode code) {
    ReplyException received = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.failureCode(), "why it failed");

    SwitchboardException failure = SwitchboardException.of(received);

    assertEquals(code, failure.code());
    assertEquals("why it failed", failure.getMessage());
  }

  static Stream<Arguments> otherFailures() {
    return Stream.of(
        arguments(new ReplyException(ReplyFailure.TIMEOUT, "timed out"), ErrorCode.TIMEOUT),
        arguments(new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers"), ErrorCode.UNAVAILABLE),
        arguments(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 42, "someone else's code"), ErrorCode.INTERNAL),
        arguments(new IllegalStateException("a bug"), ErrorCode.INTERNAL));
  }

  @ParameterizedTest
  @MethodSource("otherFailures")
  void otherFailuresGetTheirProtocolCode(Throwable failure, ErrorCode expected) {
    assertEquals(expected, SwitchboardException.of(failure).code());
  }
}
