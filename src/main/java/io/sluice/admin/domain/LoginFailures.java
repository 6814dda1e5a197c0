package io.sluice.admin.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Failed logins counted under one key (an account name or a source address) within a window.
 *
 * @param lockedUntil when the key is unlocked again, or null when it is not locked
 */
public record LoginFailures(int failures, Instant windowStart, Instant lockedUntil) {

  /**
   * The count after one more failure at {@code now}: a window older than {@code window} starts
   * again at 1; reaching {@code maxFailures} locks the key for {@code window}.
   *
   * @param previous the stored count, or null when the key has none
   */
  public static LoginFailures next(
      LoginFailures previous, Instant now, Duration window, int maxFailures) {
    boolean expired = previous == null || previous.windowStart().plus(window).isBefore(now);
    int failures = expired ? 1 : previous.failures() + 1;
    Instant start = expired ? now : previous.windowStart();
    return new LoginFailures(failures, start, failures >= maxFailures ? now.plus(window) : null);
  }
}
