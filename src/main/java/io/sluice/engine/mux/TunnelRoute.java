package io.sluice.engine.mux;

import io.github.bucket4j.Bucket;
import java.util.Objects;

/** The outcome of {@link TunnelRouter#route}. */
public sealed interface TunnelRoute {

  /**
   * Relay the connection as a new stream of {@code mux} to {@code host:port} on the agent's side.
   *
   * @param up shapes client-to-target bytes, or {@code null} for unlimited
   * @param down shapes target-to-client bytes, or {@code null} for unlimited
   * @param observer told about the stream's life; {@link StreamObserver#ended} is called exactly
   *     once for every accepted route, whatever happens
   */
  record Relay(
      TunnelMux mux, String host, int port, Bucket up, Bucket down, StreamObserver observer)
      implements TunnelRoute {
    public Relay {
      Objects.requireNonNull(mux, "mux");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(observer, "observer");
    }
  }

  /** Close the connection at once; {@code reason} is a short label for logs and metrics. */
  record Refuse(String reason) implements TunnelRoute {}
}
