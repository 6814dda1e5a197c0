package io.sluice.alerts.domain;

import java.time.Duration;

/**
 * A failed send: {@code retryable} (timeouts, 5xx, 429) or not (400, bad credentials); {@code
 * retryAfter} is what the far end asked for (Telegram's {@code retry_after}), else null. Messages
 * never carry secrets.
 */
public class DeliveryFailure extends Exception {

  private final boolean retryable;
  private final Duration retryAfter;

  public DeliveryFailure(String message, boolean retryable, Duration retryAfter) {
    super(message);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public DeliveryFailure(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public boolean retryable() {
    return retryable;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
