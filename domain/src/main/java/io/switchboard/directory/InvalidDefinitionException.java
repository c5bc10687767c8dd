package io.switchboard.directory;

/** A directory entry or policy that cannot be accepted; the message names the problem for the operator. */
public final class InvalidDefinitionException extends IllegalArgumentException {

  public InvalidDefinitionException(String message) {
    super(message);
  }
}
