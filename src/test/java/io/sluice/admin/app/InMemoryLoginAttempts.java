package io.sluice.admin.app;

import io.sluice.admin.domain.LoginAttempts;
import io.sluice.admin.domain.LoginFailures;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link LoginAttempts} in memory, for unit tests; counts the way the table does ({@link
 * LoginFailures}).
 */
final class InMemoryLoginAttempts implements LoginAttempts {

  final Map<String, LoginFailures> byKey = new HashMap<>();

  @Override
  public Optional<Instant> lockedUntil(String key) {
    return Optional.ofNullable(byKey.get(key)).map(LoginFailures::lockedUntil);
  }

  @Override
  public boolean recordFailure(String key, Instant now, Duration window, int maxFailures) {
    LoginFailures next = LoginFailures.next(byKey.get(key), now, window, maxFailures);
    byKey.put(key, next);
    return next.failures() == maxFailures;
  }

  @Override
  public void clear(String key) {
    byKey.remove(key);
  }
}
