package io.sluice.cluster.infra;

import io.sluice.cluster.domain.ClusterEvent;
import io.sluice.cluster.domain.ClusterEventStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** {@link ClusterEventStore} on plain JDBC, each call on a connection of its own. */
@ApplicationScoped
public class JdbcClusterEventStore implements ClusterEventStore {

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  @Override
  public void append(String origin, String kind, Long subjectId, String subject, String detail) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO cluster_event (id, origin, kind, subject_id, subject, detail,"
                    + " created_at) VALUES (nextval('cluster_event_seq'), ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, origin);
      s.setString(2, kind);
      if (subjectId == null) {
        s.setNull(3, java.sql.Types.BIGINT);
      } else {
        s.setLong(3, subjectId);
      }
      s.setString(4, subject);
      s.setString(5, detail);
      s.setTimestamp(6, Timestamp.from(Instant.now()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot append a cluster event: " + e.getMessage(), e);
    }
  }

  @Override
  public List<ClusterEvent> after(long afterId, int limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, origin, kind, subject_id, subject, detail, created_at FROM"
                    + " cluster_event WHERE id > ? ORDER BY id FETCH FIRST ? ROWS ONLY")) {
      s.setLong(1, afterId);
      s.setInt(2, limit);
      List<ClusterEvent> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          long subjectId = r.getLong(4);
          out.add(
              new ClusterEvent(
                  r.getLong(1),
                  r.getString(2),
                  r.getString(3),
                  r.wasNull() ? null : subjectId,
                  r.getString(5),
                  r.getString(6),
                  r.getTimestamp(7).toInstant()));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read cluster events: " + e.getMessage(), e);
    }
  }

  @Override
  public long latestId() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT MAX(id) FROM cluster_event");
        ResultSet r = s.executeQuery()) {
      return r.next() ? r.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read cluster events: " + e.getMessage(), e);
    }
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("DELETE FROM cluster_event WHERE created_at < ?")) {
      s.setTimestamp(1, Timestamp.from(cutoff));
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot purge cluster events: " + e.getMessage(), e);
    }
  }
}
