package io.sluice.tunnels.app;

import io.sluice.engine.mux.TunnelMux;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agents connected to this node: each one's stream multiplexer, how to drop its connection, and
 * what the agents API shows about it. One connection per agent: a new one replaces and closes the
 * old. One instance per application (injected into the endpoint, the agent and mapping services and
 * the router).
 */
@ApplicationScoped
public class AgentConnections {

  /**
   * One live agent connection.
   *
   * @param closer closes the WebSocket with the given reason
   */
  public static final class Link {
    private final long agentId;
    private final TunnelMux mux;
    private final Consumer<String> closer;
    private final Instant since;
    private final String remoteAddress;
    private final String softwareVersion;
    private volatile long lastSeenMillis;

    public Link(
        long agentId,
        TunnelMux mux,
        Consumer<String> closer,
        String remoteAddress,
        String softwareVersion) {
      this.agentId = agentId;
      this.mux = Objects.requireNonNull(mux, "mux");
      this.closer = Objects.requireNonNull(closer, "closer");
      this.since = Instant.now();
      this.remoteAddress = remoteAddress;
      this.softwareVersion = softwareVersion;
      this.lastSeenMillis = System.currentTimeMillis();
    }

    public long agentId() {
      return agentId;
    }

    public TunnelMux mux() {
      return mux;
    }

    public Instant since() {
      return since;
    }

    public String remoteAddress() {
      return remoteAddress;
    }

    public String softwareVersion() {
      return softwareVersion;
    }

    public Instant lastSeen() {
      return Instant.ofEpochMilli(lastSeenMillis);
    }

    /** Something arrived from the agent (any frame counts as a heartbeat). */
    public void seen() {
      lastSeenMillis = System.currentTimeMillis();
    }
  }

  private final Map<Long, Link> links = new ConcurrentHashMap<>();

  public void connected(Link link) {
    Link previous = links.put(link.agentId(), link);
    if (previous != null && previous != link) {
      previous.closer.accept("replaced by a newer connection of the same agent");
    }
  }

  public void disconnected(Link link) {
    links.remove(link.agentId(), link);
  }

  public boolean isConnected(long agentId) {
    return links.containsKey(agentId);
  }

  /** The agent's live connection on this node, or null. */
  public Link link(long agentId) {
    return links.get(agentId);
  }

  /** The ids of the agents connected to this node. */
  public java.util.Set<Long> agentIds() {
    return java.util.Set.copyOf(links.keySet());
  }

  public int count() {
    return links.size();
  }

  /** Streams open over all agent connections of this node. */
  public long activeStreams() {
    long n = 0;
    for (Link l : links.values()) {
      n += l.mux().activeStreams();
    }
    return n;
  }

  public void drop(long agentId, String reason) {
    Link link = links.remove(agentId);
    if (link != null) {
      link.closer.accept(reason);
    }
  }
}
