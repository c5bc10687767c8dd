package io.switchboard.contract;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with a protocol error code. It travels the event bus as a {@link ReplyException}
 * whose failure code is {@link ErrorCode#failureCode()}, and {@link #of(Throwable)} reads it back.
 */
public final class SwitchboardException extends ReplyException {

  private final ErrorCode code;

  public SwitchboardException(ErrorCode code, String message) {
    super(ReplyFailure.RECIPIENT_FAILURE, code.failureCode(), message, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /**
   * The protocol view of any failure: ours keep their code; an event-bus timeout is {@code timeout};
   * a missing handler means a role is not running ({@code unavailable}); anything else is a bug.
   */
  public static SwitchboardException of(Throwable failure) {
    if (failure instanceof SwitchboardException known) {
      return known;
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case RECIPIENT_FAILURE -> new SwitchboardException(ErrorCode.ofFailureCode(reply.failureCode()), reply.getMessage());
        case TIMEOUT -> new SwitchboardException(ErrorCode.TIMEOUT, "the request timed out inside the cluster");
        case NO_HANDLERS -> new SwitchboardException(ErrorCode.UNAVAILABLE, "no node serves this request right now");
        default -> new SwitchboardException(ErrorCode.INTERNAL, String.valueOf(reply.getMessage()));
      };
    }
    return new SwitchboardException(ErrorCode.INTERNAL, String.valueOf(failure));
  }
}
