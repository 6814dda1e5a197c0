package io.sluice.admin.app;

import io.sluice.platform.problem.ApiException;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Brute-force protection for admin logins, shared by all nodes through the database: after
 * {@code sluice.auth.max-failures} (5) failed logins for one account name or from one source
 * address within the lockout period, that account name or address is locked for
 * {@code sluice.auth.lockout-minutes} (15). Applied the same way to names that do not exist, so
 * a lockout reveals nothing about which accounts exist.
 */
@ApplicationScoped
public class LoginThrottle {

  private static final Logger LOG = Logger.getLogger(LoginThrottle.class.getName());

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  @Inject MetricRegistry metrics;

  @Inject @ConfigProperty(name = "sluice.auth.max-failures", defaultValue = "5") int maxFailures;
  @Inject @ConfigProperty(name = "sluice.auth.lockout-minutes", defaultValue = "15") int lockoutMinutes;

  /** Throws a 429 problem if the account name or the source address is locked. */
  public void checkNotLocked(String username, String sourceIp) {
    Instant until = max(lockedUntil(accountKey(username)), lockedUntil(ipKey(sourceIp)));
    if (until != null && until.isAfter(Instant.now())) {
      long seconds = Math.max(1, Duration.between(Instant.now(), until).toSeconds());
      throw new ApiException(429, "too-many-requests", "Too Many Requests",
          "too many failed logins; try again in " + seconds + " seconds", null);
    }
  }

  /** Counts a failure; returns true when it locked the name or the address. */
  public boolean failed(String username, String sourceIp) {
    boolean accountLocked = recordFailure(accountKey(username));
    boolean ipLocked = recordFailure(ipKey(sourceIp));
    if (accountLocked || ipLocked) {
      metrics.counter("sluice_auth_lockouts").inc();
      LOG.log(Level.WARNING, "SLUICE0030W: admin login locked for {0} minutes: {1}",
          new Object[] {lockoutMinutes, accountLocked ? "account " + safe(username) : "source " + sourceIp});
    }
    return accountLocked || ipLocked;
  }

  public void succeeded(String username, String sourceIp) {
    clear(accountKey(username));
    clear(ipKey(sourceIp));
  }

  private static String accountKey(String username) {
    return "user:" + (username == null ? "" : username.length() > 100 ? username.substring(0, 100) : username);
  }

  private static String ipKey(String ip) {
    return "ip:" + ip;
  }

  /** Adds a failure; returns true when this failure locked the key. */
  private boolean recordFailure(String key) {
    Instant now = Instant.now();
    Duration window = Duration.ofMinutes(Math.max(1, lockoutMinutes));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      int failures;
      try (PreparedStatement q = c.prepareStatement(
          "SELECT failures, window_start FROM login_attempt WHERE attempt_key = ? FOR UPDATE")) {
        q.setString(1, key);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            boolean expired = rs.getTimestamp(2).toInstant().plus(window).isBefore(now);
            failures = expired ? 1 : rs.getInt(1) + 1;
            try (PreparedStatement u = c.prepareStatement("UPDATE login_attempt SET failures = ?, window_start = ?, "
                + "locked_until = ? WHERE attempt_key = ?")) {
              u.setInt(1, failures);
              u.setTimestamp(2, Timestamp.from(expired ? now : rs.getTimestamp(2).toInstant()));
              u.setTimestamp(3, failures >= maxFailures ? Timestamp.from(now.plus(window)) : null);
              u.setString(4, key);
              u.executeUpdate();
            }
          } else {
            failures = 1;
            try (PreparedStatement i = c.prepareStatement(
                "INSERT INTO login_attempt (attempt_key, failures, window_start, locked_until) VALUES (?, 1, ?, ?)")) {
              i.setString(1, key);
              i.setTimestamp(2, Timestamp.from(now));
              i.setTimestamp(3, maxFailures <= 1 ? Timestamp.from(now.plus(window)) : null);
              i.executeUpdate();
            }
          }
        }
      }
      c.commit();
      return failures == maxFailures;
    } catch (SQLException e) {
      // Another node inserted the same key at the same moment; the next failure counts again.
      LOG.log(Level.FINE, "login failure not recorded: {0}", e.getMessage());
      return false;
    }
  }

  private Instant lockedUntil(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q = c.prepareStatement("SELECT locked_until FROM login_attempt WHERE attempt_key = ?")) {
      q.setString(1, key);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read login attempts", e);
    }
  }

  private void clear(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement d = c.prepareStatement("DELETE FROM login_attempt WHERE attempt_key = ?")) {
      d.setString(1, key);
      d.executeUpdate();
    } catch (SQLException e) {
      LOG.log(Level.FINE, "login attempts not cleared: {0}", e.getMessage());
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }

  private static String safe(String s) {
    return s == null ? "(none)" : s.replaceAll("[^A-Za-z0-9._@-]", "?");
  }
}
