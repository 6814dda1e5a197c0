package io.sluice.engine.exit;

import java.io.IOException;

/**
 * Failure of a connect through an upstream exit, already classified. The message names the exit by
 * id and never carries credentials.
 *
 * <p>Besides the {@link FailureKind} it records how far the attempt got ({@link #progress()}) and,
 * when the upstream refused the tunnel with a code, that code ({@link #replyCode()}: the SOCKS5 REP
 * or the HTTP status of the CONNECT response), so that diagnostics such as exit health checks can
 * tell "exit not reached" from "exit reached, destination refused".
 */
public final class ExitFailureException extends IOException {

  private static final long serialVersionUID = 1L;

  /** How far a connect through an upstream got before it failed. */
  public enum Progress {
    /** Not recorded. */
    UNKNOWN,
    /** The upstream proxy was not reached (its name did not resolve, or no TCP connection). */
    NOT_CONNECTED,
    /** Connected to the upstream; the handshake (greeting, authentication) failed. */
    CONNECTED,
    /** The tunnel request (SOCKS5 CONNECT, HTTP CONNECT) went out; its reply failed it. */
    REQUEST_SENT
  }

  private final transient FailureKind kind;
  private final int replyCode;
  private final Progress progress;

  public ExitFailureException(FailureKind kind, String message) {
    this(kind, message, null, -1, Progress.UNKNOWN);
  }

  public ExitFailureException(FailureKind kind, String message, Throwable cause) {
    this(kind, message, cause, -1, Progress.UNKNOWN);
  }

  /**
   * A refusal of the tunnel request with the upstream's {@code replyCode} (SOCKS5 REP, HTTP
   * status).
   */
  public ExitFailureException(FailureKind kind, String message, int replyCode) {
    this(kind, message, null, replyCode, Progress.UNKNOWN);
  }

  private ExitFailureException(
      FailureKind kind, String message, Throwable cause, int replyCode, Progress progress) {
    super(message, cause);
    this.kind = kind;
    this.replyCode = replyCode;
    this.progress = progress;
  }

  public FailureKind kind() {
    return kind;
  }

  /** The SOCKS5 REP or HTTP status with which the upstream refused the tunnel, or -1. */
  public int replyCode() {
    return replyCode;
  }

  public Progress progress() {
    return progress;
  }

  /** This failure with {@code progress} recorded (same kind, message, cause and reply code). */
  ExitFailureException at(Progress progress) {
    if (progress == this.progress) {
      return this;
    }
    ExitFailureException copy =
        new ExitFailureException(kind, getMessage(), getCause(), replyCode, progress);
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  @Override
  public String toString() {
    return "ExitFailure(" + kind + "): " + getMessage();
  }
}
