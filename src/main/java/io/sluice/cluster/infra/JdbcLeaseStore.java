package io.sluice.cluster.infra;

import io.sluice.cluster.domain.LeaseStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * {@link LeaseStore} on plain JDBC: a missing row is inserted as expired (a concurrent insert by
 * another node loses on the primary key and is ignored), then one conditional UPDATE takes or
 * renews it, so exactly one node wins.
 */
@ApplicationScoped
public class JdbcLeaseStore implements LeaseStore {

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  @Override
  public boolean acquire(String name, String holder, Instant until) {
    Instant now = Instant.now();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement i =
          c.prepareStatement(
              "INSERT INTO cluster_lease (name, holder, valid_until) SELECT ?, '-', ? WHERE NOT"
                  + " EXISTS (SELECT 1 FROM cluster_lease WHERE name = ?)")) {
        i.setString(1, name);
        i.setTimestamp(2, Timestamp.from(Instant.EPOCH));
        i.setString(3, name);
        i.executeUpdate();
      } catch (SQLException raced) {
        // another node inserted the row first: fine, the UPDATE below decides
      }
      try (PreparedStatement u =
          c.prepareStatement(
              "UPDATE cluster_lease SET holder = ?, valid_until = ? WHERE name = ? AND"
                  + " (valid_until < ? OR holder = ?)")) {
        u.setString(1, holder);
        u.setTimestamp(2, Timestamp.from(until));
        u.setString(3, name);
        u.setTimestamp(4, Timestamp.from(now));
        u.setString(5, holder);
        return u.executeUpdate() == 1;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot take the lease " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void release(String name, String holder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement u =
            c.prepareStatement(
                "UPDATE cluster_lease SET valid_until = ? WHERE name = ? AND holder = ?")) {
      u.setTimestamp(1, Timestamp.from(Instant.EPOCH));
      u.setString(2, name);
      u.setString(3, holder);
      u.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot release the lease " + name + ": " + e.getMessage(), e);
    }
  }
}
