package io.sluice.engine.exit;

import java.io.IOException;

/**
 * Failure of a connect through an upstream exit, already classified. The message names the
 * exit by id and never carries credentials.
 */
public final class ExitFailureException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient FailureKind kind;

  public ExitFailureException(FailureKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ExitFailureException(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return "ExitFailure(" + kind + "): " + getMessage();
  }
}
