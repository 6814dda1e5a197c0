package io.sluice.cluster.infra;

import io.sluice.cluster.domain.ClusterNode;
import io.sluice.cluster.domain.ClusterNodeStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** {@link ClusterNodeStore} on plain JDBC, each call on a connection of its own. */
@ApplicationScoped
public class JdbcClusterNodeStore implements ClusterNodeStore {

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  @Override
  public void heartbeat(ClusterNode self, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      int n;
      try (PreparedStatement u =
          c.prepareStatement(
              "UPDATE cluster_node SET heartbeat_at = ?, listeners = ?, name = ?, advertise_url = ?"
                  + " WHERE id = ?")) {
        u.setTimestamp(1, Timestamp.from(now));
        u.setString(2, self.listeners());
        u.setString(3, self.name());
        u.setString(4, self.advertiseUrl());
        u.setString(5, self.id());
        n = u.executeUpdate();
      }
      if (n == 0) {
        try (PreparedStatement i =
            c.prepareStatement(
                "INSERT INTO cluster_node (id, name, version, advertise_url, listeners, started_at,"
                    + " heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          i.setString(1, self.id());
          i.setString(2, self.name());
          i.setString(3, self.version());
          i.setString(4, self.advertiseUrl());
          i.setString(5, self.listeners());
          i.setTimestamp(6, Timestamp.from(self.startedAt()));
          i.setTimestamp(7, Timestamp.from(now));
          i.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot renew the node heartbeat: " + e.getMessage(), e);
    }
  }

  @Override
  public List<ClusterNode> nodes(Instant now) {
    try (Connection c = dataSource.getConnection()) {
      Map<String, List<String>> leases = new HashMap<>();
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT name, holder FROM cluster_lease WHERE valid_until > ? ORDER BY name"); ) {
        q.setTimestamp(1, Timestamp.from(now));
        try (ResultSet r = q.executeQuery()) {
          while (r.next()) {
            leases.computeIfAbsent(r.getString(2), k -> new ArrayList<>()).add(r.getString(1));
          }
        }
      }
      List<ClusterNode> out = new ArrayList<>();
      try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT id, name, version, advertise_url, listeners, started_at, heartbeat_at"
                      + " FROM cluster_node ORDER BY name, started_at");
          ResultSet r = q.executeQuery()) {
        while (r.next()) {
          String id = r.getString(1);
          out.add(
              new ClusterNode(
                  id,
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getTimestamp(6).toInstant(),
                  r.getTimestamp(7).toInstant(),
                  List.copyOf(leases.getOrDefault(id, List.of()))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the node registry: " + e.getMessage(), e);
    }
  }

  @Override
  public void remove(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement d = c.prepareStatement("DELETE FROM cluster_node WHERE id = ?")) {
      d.setString(1, id);
      d.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot remove the node: " + e.getMessage(), e);
    }
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement d =
            c.prepareStatement("DELETE FROM cluster_node WHERE heartbeat_at < ?")) {
      d.setTimestamp(1, Timestamp.from(cutoff));
      return d.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot purge the node registry: " + e.getMessage(), e);
    }
  }
}
