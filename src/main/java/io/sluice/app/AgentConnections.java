package io.sluice.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agents connected to this node and how to drop each one (the WebSocket endpoint registers
 * a closer per connection). One connection per agent: a new one replaces and closes the old.
 */
public final class AgentConnections {

  private static final Map<Long, Consumer<String>> CONNECTED = new ConcurrentHashMap<>();

  private AgentConnections() {}

  public static void connected(long agentId, Consumer<String> closer) {
    Consumer<String> previous = CONNECTED.put(agentId, closer);
    if (previous != null && previous != closer) {
      previous.accept("replaced by a newer connection of the same agent");
    }
  }

  public static void disconnected(long agentId, Consumer<String> closer) {
    CONNECTED.remove(agentId, closer);
  }

  public static boolean isConnected(long agentId) {
    return CONNECTED.containsKey(agentId);
  }

  public static void drop(long agentId, String reason) {
    Consumer<String> closer = CONNECTED.remove(agentId);
    if (closer != null) {
      closer.accept(reason);
    }
  }
}
