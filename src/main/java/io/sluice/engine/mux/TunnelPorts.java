package io.sluice.engine.mux;

import io.netty.channel.Channel;
import io.sluice.engine.spi.ConnectionInfo;
import java.time.Duration;
import java.util.function.Supplier;

/** Entry point for the engine's listeners: sets up a connection accepted on a tunnel port. */
public final class TunnelPorts {

  private TunnelPorts() {}

  /**
   * @param openTimeout how long the agent may take to answer OPEN
   * @param idle a stream with no traffic either way for this long is reset
   */
  public static void install(
      Channel ch,
      ConnectionInfo info,
      Supplier<TunnelRouter> router,
      Duration openTimeout,
      Duration idle) {
    TunnelPortHandler.install(ch, info, router, openTimeout, idle);
  }

  /**
   * Sets up a connection accepted on the direct-stream data port.
   *
   * @param deadline how long the agent may take to send the preamble
   */
  public static void installDirect(
      Channel ch, ConnectionInfo info, DirectStreams streams, Duration deadline) {
    DirectDataHandler.install(ch, info, streams, deadline);
  }
}
