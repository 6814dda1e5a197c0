package io.sluice.users.app;

import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.engine.spi.UserLimits;
import java.time.Instant;
import java.util.List;

/**
 * A proxy user as the front door needs it, with the password already unsealed. Lives only in memory
 * (the authenticator's short-lived cache), never logged.
 */
public record ProxyAccount(
    long id,
    String username,
    String password,
    boolean enabled,
    Instant expiresAt,
    UserLimits limits,
    SourceWhitelist allowedSources,
    List<String> allowedDestinations,
    String defaultPool,
    java.util.Set<String> allowedPools,
    SourceWhitelist allowedClients) {

  /**
   * Whether the user may name this pool (an empty set allows every pool; the default pool always).
   */
  public boolean mayUsePool(String pool) {
    return allowedPools == null
        || allowedPools.isEmpty()
        || allowedPools.contains(pool)
        || pool.equals(defaultPool);
  }

  /** Enabled and not expired at {@code now}. */
  public boolean usableAt(Instant now) {
    return enabled && (expiresAt == null || expiresAt.isAfter(now));
  }

  @Override
  public String toString() {
    return "ProxyAccount[id=" + id + ", username=" + username + "]";
  }
}
