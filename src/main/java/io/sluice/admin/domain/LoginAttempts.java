package io.sluice.admin.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Failed-login counts shared by all nodes (table {@code login_attempt}); each call commits on its
 * own, independent of any transaction of the caller.
 */
public interface LoginAttempts {

  /**
   * When the key is unlocked again, if it is locked (possibly in the past).
   *
   * @throws IllegalStateException when the store cannot be read
   */
  Optional<Instant> lockedUntil(String key);

  /**
   * Counts a failure as {@link LoginFailures#next} says; returns true when this failure made the
   * count reach {@code maxFailures}. A failure that cannot be stored (e.g. another node inserted
   * the same key at that moment) is not counted and returns false.
   */
  boolean recordFailure(String key, Instant now, Duration window, int maxFailures);

  /** Forgets the key's failures (quietly: a failure to do so is only logged). */
  void clear(String key);
}
