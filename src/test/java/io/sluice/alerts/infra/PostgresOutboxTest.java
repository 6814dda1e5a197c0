package io.sluice.alerts.infra;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link OutboxContract} on a real PostgreSQL ({@code -Dsluice.test.pg.url/user/password}, else
 * {@code DB_URL}/{@code DB_USER}/{@code DB_PASSWORD}, else {@code
 * jdbc:postgresql://127.0.0.1:5432/sluice_ci} as sluice/sluice), each test in a throw-away schema
 * with V25 applied, dropped afterwards: here the claims really use {@code FOR UPDATE SKIP LOCKED}
 * between connections. Skipped when PostgreSQL is unreachable.
 */
@Timeout(300)
class PostgresOutboxTest extends OutboxContract {

  private String schema;
  private DataSource ds;

  static PGSimpleDataSource source(String schema) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(
        System.getProperty(
            "sluice.test.pg.url",
            System.getenv().getOrDefault("DB_URL", "jdbc:postgresql://127.0.0.1:5432/sluice_ci")));
    ds.setUser(
        System.getProperty(
            "sluice.test.pg.user", System.getenv().getOrDefault("DB_USER", "sluice")));
    ds.setPassword(
        System.getProperty(
            "sluice.test.pg.password", System.getenv().getOrDefault("DB_PASSWORD", "sluice")));
    ds.setConnectTimeout(3);
    ds.setLoginTimeout(3);
    if (schema != null) {
      ds.setCurrentSchema(schema);
    }
    return ds;
  }

  @BeforeEach
  void createSchema() throws Exception {
    String name =
        "sluice_alerts_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = source(null).getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      assumeTrue(false, "PostgreSQL unreachable, skipping: " + e.getMessage());
    }
    schema = name;
    ds = source(schema);
    try (Connection c = ds.getConnection()) {
      AlertsDb.migrate(c);
    }
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      try (Connection c = source(null).getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @Override
  DataSource dataSource() {
    return ds;
  }
}
