package io.sluice.engine.mux;

import java.util.Objects;

/**
 * What {@link TunnelMux#open} did with a new stream: {@link Opened} with the stream's id (its OPEN
 * or OPEN_DIRECT has been sent), or {@link Refused} with the reason no OPEN was sent.
 */
sealed interface OpenResult {

  /** The stream is registered under {@code streamId} (odd, strictly increasing per connection). */
  record Opened(long streamId) implements OpenResult {
    public Opened {
      if (streamId < 1 || (streamId & 1) == 0) {
        throw new IllegalArgumentException("stream id " + streamId);
      }
    }
  }

  /** Nothing was registered or sent. */
  record Refused(Reason reason) implements OpenResult {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why a stream could not be opened; {@link #label()} is what observers and logs are told. */
  enum Reason {
    /** The agent's connection is gone (or going). */
    CONNECTION_CLOSED("agent_offline"),
    /** The connection ran out of stream ids; it is being closed so that the agent reconnects. */
    IDS_EXHAUSTED("agent_offline"),
    /** {@code maxStreams} streams are open on the connection. */
    TOO_MANY_STREAMS("agent_busy");

    private final String label;
    private final Refused refused;

    Reason(String label) {
      this.label = label;
      this.refused = new Refused(this);
    }

    /** The short label of the refusal ({@code agent_offline}, {@code agent_busy}). */
    String label() {
      return label;
    }

    /** The (shared) result refusing a stream for this reason. */
    Refused refused() {
      return refused;
    }
  }
}
