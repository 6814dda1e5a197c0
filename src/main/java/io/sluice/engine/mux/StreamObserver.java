package io.sluice.engine.mux;

/**
 * What happens to one relayed stream, for statistics and metrics. Called on the stream's event
 * loop: implementations must be cheap and must not block.
 */
public interface StreamObserver {

  /** The agent could not open the target; {@code reason} is a label such as {@code refused}. */
  default void openFailed(String reason) {}

  /** Bytes relayed: {@code in} from the public client towards the target, {@code out} back. */
  default void bytes(long in, long out) {}

  /**
   * The stream is over (called exactly once).
   *
   * @param error a label when it ended abnormally (reset, overrun, timeout, agent gone), else null
   */
  default void ended(String error) {}
}
