package io.sluice.engine.spi;

/**
 * What happened, for metrics, accounting and audit. Called on event-loop threads: implementations
 * must be cheap and must not block (count into atomics, enqueue for batched persistence).
 */
public interface EngineEvents {

  /** A handshake finished (successfully or not) after {@code nanos}. */
  default void handshake(String protocol, String result, long nanos) {}

  /** Connecting to the destination (through the exit) finished. */
  default void connect(String protocol, String result, long nanos) {}

  /** Authentication failed. */
  default void authFailure(ConnectionInfo connection, String reason) {}

  /** A relayed session started. */
  default void sessionOpened(SessionView session) {}

  /** Bytes relayed: up is client to destination, down is destination to client. */
  default void bytes(SessionView session, long up, long down) {}

  /** A relayed session ended. */
  default void sessionClosed(SessionView session) {}

  EngineEvents NONE = new EngineEvents() {};
}
