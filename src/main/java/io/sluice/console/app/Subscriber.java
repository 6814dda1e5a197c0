package io.sluice.console.app;

import java.time.Instant;

/**
 * One open event stream: the role of the token that opened it, when that token expires (the stream
 * is closed then; the console reconnects with a fresh token), and how to send an event.
 */
public interface Subscriber {

  /** {@code admin} or {@code viewer}. */
  String role();

  /** The expiry of the access token that opened the stream. */
  Instant expiresAt();

  /**
   * Sends one event ({@code event:} name and one {@code data:} line of JSON); false when the stream
   * is gone.
   */
  boolean send(String event, String json);

  /** True once the client went away or the stream was closed. */
  boolean isClosed();

  /** Ends the stream. */
  void close();
}
