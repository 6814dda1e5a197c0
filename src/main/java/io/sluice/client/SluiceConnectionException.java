package io.sluice.client;

/** The server could not be reached, or the connection broke before an answer arrived. */
public class SluiceConnectionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SluiceConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
