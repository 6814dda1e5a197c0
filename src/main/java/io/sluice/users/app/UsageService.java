package io.sluice.users.app;

import io.sluice.users.infra.UsageRecorder;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Persists per-user usage in batches: each flush adds this node's deltas to the totals with
 * additive UPDATEs (INSERT for a user's first row), so several nodes can flush concurrently
 * without losing counts. Deltas that fail to write are put back for the next flush.
 */
@ApplicationScoped
public class UsageService {

  private static final Logger LOG = Logger.getLogger(UsageService.class.getName());

  /** A user's totals: persisted plus not yet flushed on this node. */
  public record Usage(long userId, long bytesUp, long bytesDown, long connections, Instant lastSeenAt) {}

  private final UsageRecorder recorder = new UsageRecorder();

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  public UsageRecorder recorder() {
    return recorder;
  }

  public void flush() {
    Map<Long, UsageRecorder.Delta> deltas = recorder.drain();
    if (deltas.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now());
    // One transaction for the whole batch: either every delta is added or none is (and all are
    // put back for the next flush), so a failure half-way can never count anything twice.
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement update = c.prepareStatement(
              "UPDATE proxy_user_usage SET bytes_up = bytes_up + ?, bytes_down = bytes_down + ?, "
                  + "connections = connections + ?, last_seen_at = ? WHERE user_id = ?");
          PreparedStatement insert = c.prepareStatement(
              "INSERT INTO proxy_user_usage (user_id, bytes_up, bytes_down, connections, last_seen_at) "
                  + "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM proxy_user WHERE id = ?)")) {
        for (var e : deltas.entrySet()) {
          UsageRecorder.Delta d = e.getValue();
          if (apply(update, e.getKey(), d, now) == 0) {
            // If another node inserted this user's first row meanwhile, the key violation rolls the
            // batch back and it is retried (as an UPDATE) at the next flush.
            insert.setLong(1, e.getKey());
            insert.setLong(2, d.bytesUp());
            insert.setLong(3, d.bytesDown());
            insert.setLong(4, d.connections());
            insert.setTimestamp(5, now);
            insert.setLong(6, e.getKey());
            insert.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      recorder.restore(deltas);
      LOG.log(Level.WARNING, "SLUICE0210W: usage flush failed, will retry: {0}", e.getMessage());
    }
  }

  public Usage usage(long userId) {
    UsageRecorder.Delta pending = recorder.pending(userId);
    Optional<Usage> stored = stored(userId);
    long up = pending.bytesUp() + stored.map(Usage::bytesUp).orElse(0L);
    long down = pending.bytesDown() + stored.map(Usage::bytesDown).orElse(0L);
    long conns = pending.connections() + stored.map(Usage::connections).orElse(0L);
    return new Usage(userId, up, down, conns, stored.map(Usage::lastSeenAt).orElse(null));
  }

  private Optional<Usage> stored(long userId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q = c.prepareStatement(
            "SELECT bytes_up, bytes_down, connections, last_seen_at FROM proxy_user_usage WHERE user_id = ?")) {
      q.setLong(1, userId);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Usage(userId, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read usage of user " + userId, e);
    }
  }

  private static int apply(PreparedStatement update, long user, UsageRecorder.Delta d, Timestamp now)
      throws SQLException {
    update.setLong(1, d.bytesUp());
    update.setLong(2, d.bytesDown());
    update.setLong(3, d.connections());
    update.setTimestamp(4, now);
    update.setLong(5, user);
    return update.executeUpdate();
  }
}
