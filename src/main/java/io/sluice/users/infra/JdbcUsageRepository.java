package io.sluice.users.infra;

import io.sluice.users.domain.UsageRecorder;
import io.sluice.users.domain.UsageRepository;
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
import javax.sql.DataSource;

/**
 * {@link UsageRepository} on plain JDBC: each flush adds deltas with additive UPDATEs (INSERT for a
 * user's first row) on a connection of its own, so several nodes can flush concurrently without
 * losing counts.
 */
@ApplicationScoped
public class JdbcUsageRepository implements UsageRepository {

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  @Override
  public void addAll(Map<Long, UsageRecorder.Delta> deltas, Instant at) {
    Timestamp now = Timestamp.from(at);
    // One transaction for the whole batch: either every delta is added or none is (and all are
    // put back for the next flush), so a failure half-way can never count anything twice.
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE proxy_user_usage SET bytes_up = bytes_up + ?, bytes_down = bytes_down + ?, "
                      + "connections = connections + ?, last_seen_at = ? WHERE user_id = ?");
          PreparedStatement insert =
              c.prepareStatement(
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
      throw new WriteFailed(e.getMessage(), e);
    }
  }

  @Override
  public Optional<Totals> totals(long userId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT bytes_up, bytes_down, connections, last_seen_at FROM proxy_user_usage WHERE user_id = ?")) {
      q.setLong(1, userId);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Totals(
                rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read usage of user " + userId, e);
    }
  }

  private static int apply(
      PreparedStatement update, long user, UsageRecorder.Delta d, Timestamp now)
      throws SQLException {
    update.setLong(1, d.bytesUp());
    update.setLong(2, d.bytesDown());
    update.setLong(3, d.connections());
    update.setTimestamp(4, now);
    update.setLong(5, user);
    return update.executeUpdate();
  }
}
