package io.sluice.agent;

/** A bad command line: {@link AgentMain} prints the message and the usage, and exits with 2. */
public final class UsageException extends Exception {

  public UsageException(String message) {
    super(message, null, false, false);
  }
}
