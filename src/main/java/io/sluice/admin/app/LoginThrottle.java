package io.sluice.admin.app;

import io.sluice.admin.domain.LoginAttempts;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Brute-force protection for admin logins, shared by all nodes through the database: after {@code
 * sluice.auth.max-failures} (5) failed logins for one account name or from one source address
 * within the lockout period, that account name or address is locked for {@code
 * sluice.auth.lockout-minutes} (15). Applied the same way to names that do not exist, so a lockout
 * reveals nothing about which accounts exist.
 */
@ApplicationScoped
public class LoginThrottle {

  private static final Logger LOG = System.getLogger(LoginThrottle.class.getName());

  @Inject LoginAttempts attempts;

  @Inject MetricRegistry metrics;

  @Inject
  @ConfigProperty(name = "sluice.auth.max-failures", defaultValue = "5")
  int maxFailures;

  @Inject
  @ConfigProperty(name = "sluice.auth.lockout-minutes", defaultValue = "15")
  int lockoutMinutes;

  /** Throws a 429 problem if the account name or the source address is locked. */
  public void checkNotLocked(String username, String sourceIp) {
    Instant until = max(lockedUntil(accountKey(username)), lockedUntil(ipKey(sourceIp)));
    if (until != null && until.isAfter(Instant.now())) {
      long seconds = Math.max(1, Duration.between(Instant.now(), until).toSeconds());
      throw new ApiException(
          429,
          "too-many-requests",
          "Too Many Requests",
          "too many failed logins; try again in " + seconds + " seconds",
          null);
    }
  }

  /** Counts a failure; returns true when it locked the name or the address. */
  public boolean failed(String username, String sourceIp) {
    boolean accountLocked = recordFailure(accountKey(username));
    boolean ipLocked = recordFailure(ipKey(sourceIp));
    if (accountLocked || ipLocked) {
      metrics.counter("sluice_auth_lockouts").inc();
      LOG.log(
          Level.WARNING,
          "SLUICE0030W: admin login locked for {0} minutes: {1}",
          new Object[] {
            lockoutMinutes, accountLocked ? "account " + safe(username) : "source " + sourceIp
          });
    }
    return accountLocked || ipLocked;
  }

  public void succeeded(String username, String sourceIp) {
    clear(accountKey(username));
    clear(ipKey(sourceIp));
  }

  private static String accountKey(String username) {
    return "user:"
        + (username == null ? "" : username.length() > 100 ? username.substring(0, 100) : username);
  }

  private static String ipKey(String ip) {
    return "ip:" + ip;
  }

  /** Adds a failure; returns true when this failure locked the key. */
  private boolean recordFailure(String key) {
    return attempts.recordFailure(
        key, Instant.now(), Duration.ofMinutes(Math.max(1, lockoutMinutes)), maxFailures);
  }

  private Instant lockedUntil(String key) {
    return attempts.lockedUntil(key).orElse(null);
  }

  private void clear(String key) {
    attempts.clear(key);
  }

  private static Instant max(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }

  private static String safe(String s) {
    return s == null ? "(none)" : s.replaceAll("[^A-Za-z0-9._@-]", "?");
  }
}
