package io.sluice.exits.domain.selection;

/**
 * Live number of open connections per exit, tracked by the engine. Called on the selection path for
 * the {@code least-connections} strategy: implementations must be cheap and non-blocking (read an
 * atomic counter).
 */
@FunctionalInterface
public interface ConnectionCounts {

  /** Open connections through the exit with this id right now ({@code 0} for an unknown id). */
  int active(long exitId);

  /** No connection tracking: every exit has zero connections. */
  ConnectionCounts NONE = id -> 0;
}
