package io.sluice.engine;

/**
 * Thrown by {@link ProxyEngine#start()} or {@link ProxyEngine#addListener} when a listener cannot
 * bind.
 */
public final class EngineStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EngineStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
