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

/** Status aggregation (SPEC.md §2) and the error codes modules pass to each other (PROTOCOL.md §Errors). */
class StatusTest {

  /** The rows of SPEC.md §2's table, members listed so that the winner is never simply the first. */
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
        "unavailable", "timeout", "gone", "rate_limited", "too_large", "store_unavailable", "internal");
    assertEquals(protocol, Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet()));
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
