package io.sluice.tor.infra.process;

import io.sluice.tor.domain.NodeStatus;

/** What a supervisor reports; called on supervisor and control reader threads, must not block. */
public interface NodeListener {

  /** The node's status changed (state, percent, ports, rotation). */
  default void changed(NodeStatus status) {}

  /** The node stopped serving unexpectedly (crash, stuck bootstrap) and will be restarted. */
  default void down(int index, String reason) {}

  /** The node gave up: a configuration error or too many crashes in a row. */
  default void failed(int index, String reason) {}

  /** The node's control port is back after {@link #down}. */
  default void recovered(int index) {}

  /** Tor reported {@code 650 SIGNAL NEWNYM} for this node. */
  default void newnymDone(int index) {}

  /** Tor deferred a NEWNYM (its 10 s rate limit). */
  default void newnymDeferred(int index, int seconds) {}

  /** The node is being restarted after {@link #down}. */
  default void restarting(int index, long backoffMillis) {}
}
