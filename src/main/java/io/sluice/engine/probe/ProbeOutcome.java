package io.sluice.engine.probe;

import io.sluice.engine.exit.FailureKind;
import java.util.Objects;

/**
 * The outcome of one {@link ProbeClient#get probe}: a {@link Response} (any status) or a {@link
 * Failure}. Neither ever contains credentials of the exit.
 */
public sealed interface ProbeOutcome {

  /** From the start of the probe (including name resolution) to the response or the failure. */
  long latencyMillis();

  /** The stage the probe ended in ({@link ProbeStage#DONE} for a response). */
  ProbeStage stage();

  /**
   * A complete HTTP response (whatever its status; 1xx interim responses are skipped).
   *
   * @param status the status code
   * @param reason the reason phrase as sent, control characters replaced, at most 60 characters
   * @param body the body decoded with the charset of its {@code Content-Type} (UTF-8 when none or
   *     unknown); at most the client's body limit in bytes
   */
  record Response(int status, String reason, String body, long latencyMillis)
      implements ProbeOutcome {

    public Response {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(body, "body");
    }

    @Override
    public ProbeStage stage() {
      return ProbeStage.DONE;
    }
  }

  /**
   * No complete response.
   *
   * @param stage where the probe failed; {@link ProbeStage#exitReached()} tells whether the exit
   *     was reached
   * @param kind the engine's classification, as a session through the same route would see it
   *     ({@link FailureKind#ofConnectError} for connect failures: e.g. {@link
   *     FailureKind#EXIT_UNREACHABLE}, {@link FailureKind#EXIT_AUTH}, or the destination's kind the
   *     proxy reported); {@link FailureKind#GENERAL} for TLS and HTTP-level failures. A timeout
   *     while connecting keeps the connector's kind ({@link FailureKind#EXIT_UNREACHABLE} for an
   *     upstream not reached or silent in its handshake, {@link FailureKind#TIMEOUT} otherwise); a
   *     timeout after it is {@link FailureKind#TIMEOUT}
   * @param upstreamReply the SOCKS5 REP or HTTP status with which the upstream proxy refused the
   *     tunnel ({@link ProbeStage#TUNNEL}), else -1
   * @param timedOut the probe's deadline passed (in whichever stage)
   * @param message what happened, for people (no credentials, no text the peer chose apart from a
   *     cut reason phrase)
   */
  record Failure(
      ProbeStage stage,
      FailureKind kind,
      int upstreamReply,
      boolean timedOut,
      String message,
      long latencyMillis)
      implements ProbeOutcome {

    public Failure {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }

    /** Whether the TCP connection to the exit (the target for a direct route) was established. */
    public boolean exitReached() {
      return stage.exitReached();
    }
  }
}
