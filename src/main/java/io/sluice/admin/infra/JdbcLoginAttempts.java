package io.sluice.admin.infra;

import io.sluice.admin.domain.LoginAttempts;
import io.sluice.admin.domain.LoginFailures;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link LoginAttempts} on {@code login_attempt} with plain JDBC: each call uses its own connection
 * and commits, and a failure is counted under {@code SELECT ... FOR UPDATE} so nodes counting the
 * same key at once do not lose counts.
 */
@ApplicationScoped
public class JdbcLoginAttempts implements LoginAttempts {

  private static final Logger LOG = System.getLogger(JdbcLoginAttempts.class.getName());

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  @Override
  public boolean recordFailure(String key, Instant now, Duration window, int maxFailures) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      LoginFailures next;
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT failures, window_start FROM login_attempt WHERE attempt_key = ? FOR UPDATE")) {
        q.setString(1, key);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            next =
                LoginFailures.next(
                    new LoginFailures(rs.getInt(1), rs.getTimestamp(2).toInstant(), null),
                    now,
                    window,
                    maxFailures);
            try (PreparedStatement u =
                c.prepareStatement(
                    "UPDATE login_attempt SET failures = ?, window_start = ?, "
                        + "locked_until = ? WHERE attempt_key = ?")) {
              u.setInt(1, next.failures());
              u.setTimestamp(2, Timestamp.from(next.windowStart()));
              u.setTimestamp(
                  3, next.lockedUntil() == null ? null : Timestamp.from(next.lockedUntil()));
              u.setString(4, key);
              u.executeUpdate();
            }
          } else {
            next = LoginFailures.next(null, now, window, maxFailures);
            try (PreparedStatement i =
                c.prepareStatement(
                    "INSERT INTO login_attempt (attempt_key, failures, window_start, locked_until) VALUES (?, 1, ?, ?)")) {
              i.setString(1, key);
              i.setTimestamp(2, Timestamp.from(now));
              i.setTimestamp(
                  3, next.lockedUntil() == null ? null : Timestamp.from(next.lockedUntil()));
              i.executeUpdate();
            }
          }
        }
      }
      c.commit();
      return next.failures() == maxFailures;
    } catch (SQLException e) {
      // Another node inserted the same key at the same moment; the next failure counts again.
      LOG.log(Level.DEBUG, "login failure not recorded: {0}", e.getMessage());
      return false;
    }
  }

  @Override
  public Optional<Instant> lockedUntil(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement("SELECT locked_until FROM login_attempt WHERE attempt_key = ?")) {
      q.setString(1, key);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() && rs.getTimestamp(1) != null
            ? Optional.of(rs.getTimestamp(1).toInstant())
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read login attempts", e);
    }
  }

  @Override
  public void clear(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement d =
            c.prepareStatement("DELETE FROM login_attempt WHERE attempt_key = ?")) {
      d.setString(1, key);
      d.executeUpdate();
    } catch (SQLException e) {
      LOG.log(Level.DEBUG, "login attempts not cleared: {0}", e.getMessage());
    }
  }
}
