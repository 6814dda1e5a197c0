package io.sluice.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Sql} on one JDBC connection whose transaction the caller runs (tests, benchmarks and tools
 * outside the server).
 */
public final class JdbcSql implements Sql {

  private final Connection connection;

  public JdbcSql(Connection connection) {
    this.connection = connection;
  }

  @Override
  public List<Object[]> rows(String sql, Object... params) {
    try (PreparedStatement st = prepare(sql, params);
        ResultSet rs = st.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      List<Object[]> out = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[columns];
        for (int i = 0; i < columns; i++) {
          row[i] = rs.getObject(i + 1);
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public int update(String sql, Object... params) {
    try (PreparedStatement st = prepare(sql, params)) {
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private PreparedStatement prepare(String sql, Object... params) throws SQLException {
    PreparedStatement st = connection.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      st.setObject(i + 1, p instanceof Instant t ? Timestamp.from(t) : p);
    }
    return st;
  }
}
