package io.sluice.engine;

import io.sluice.engine.config.ListenerConfig;
import java.net.InetSocketAddress;

/**
 * The state of one listener as reported by {@link ProxyEngine#listenerStates()}.
 *
 * @param config the listener's configuration
 * @param status where it is in its life
 * @param boundAddress the actual bound address (ephemeral port resolved), or {@code null} when not
 *     bound
 * @param error why binding failed, or {@code null}
 */
public record ListenerState(
    ListenerConfig config, Status status, InetSocketAddress boundAddress, String error) {

  /** Life of a listener. */
  public enum Status {
    /** Configured, not yet bound. */
    PENDING,
    /** Bound and accepting. */
    BOUND,
    /** Binding failed; see {@link ListenerState#error()}. */
    FAILED,
    /** Closed (removed or engine stopped). */
    CLOSED
  }

  /** The bound port, or -1 when not bound. */
  public int port() {
    return boundAddress == null ? -1 : boundAddress.getPort();
  }
}
