package io.sluice.tunnels.app;

import io.sluice.engine.mux.TunnelMux;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Agent connections for unit tests: a multiplexer whose frames go nowhere. */
final class TestLinks {

  private TestLinks() {}

  /** Registers a connection of the agent; {@code closer} receives the reason it is closed with. */
  static void connect(AgentConnections connections, long agentId, Consumer<String> closer) {
    TunnelMux mux =
        new TunnelMux(
            agentId,
            new TunnelMux.FrameSink() {
              @Override
              public void send(ByteBuffer encodedFrame) {}

              @Override
              public void close(int code, String reason) {}
            },
            65536,
            65536,
            16);
    connections.connected(new AgentConnections.Link(agentId, mux, closer, "203.0.113.5", "1.2.3"));
  }
}
