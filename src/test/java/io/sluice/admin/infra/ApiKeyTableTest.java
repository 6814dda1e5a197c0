package io.sluice.admin.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Migration {@code V21__api_keys.sql} and the statements of {@link JpaApiKeyRepository} on H2 (in
 * PostgreSQL mode, as the server runs it) and on PostgreSQL when it is reachable (a private schema,
 * dropped afterwards; skipped otherwise). The connection comes from {@code sluice.test.pg.url},
 * {@code .user}, {@code .password}, with the defaults of {@code PostgresRateLimiterTest}.
 */
class ApiKeyTableTest {

  private static String migration() throws Exception {
    try (InputStream in =
        ApiKeyTableTest.class.getResourceAsStream("/db/migration/V21__api_keys.sql")) {
      assertThat(in).as("V21__api_keys.sql on the class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void onH2() throws Exception {
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:h2:mem:apikey_"
                + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE")) {
      exercise(c);
    }
  }

  @Test
  void onPostgresql() throws Exception {
    Connection c;
    try {
      java.util.Properties props = new java.util.Properties();
      props.setProperty("user", System.getProperty("sluice.test.pg.user", "postgres"));
      String password = System.getProperty("sluice.test.pg.password");
      if (password != null) {
        props.setProperty("password", password);
      }
      props.setProperty("connectTimeout", "3");
      c =
          DriverManager.getConnection(
              System.getProperty("sluice.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test"),
              props);
    } catch (SQLException e) {
      assumeTrue(false, "PostgreSQL unreachable, skipping: " + e.getMessage());
      return;
    }
    String schema =
        "sluice_ak_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (c;
        Statement st = c.createStatement()) {
      try {
        st.execute("CREATE SCHEMA " + schema);
      } catch (SQLException e) {
        assumeTrue(false, "cannot create a schema, skipping: " + e.getMessage());
      }
      try {
        st.execute("SET search_path TO " + schema);
        exercise(c);
      } finally {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static void exercise(Connection c) throws Exception {
    try (Statement st = c.createStatement()) {
      for (String sql : migration().replaceAll("(?m)^--.*$", "").split(";")) {
        if (!sql.isBlank()) {
          st.execute(sql);
        }
      }
      long id;
      try (ResultSet rs = st.executeQuery("SELECT nextval('api_key_seq')")) {
        assertThat(rs.next()).isTrue();
        id = rs.getLong(1);
      }
      Instant now = Instant.parse("2026-06-01T12:00:00Z");
      insert(c, id, "orch-1", "a".repeat(64), now);
      assertThatThrownBy(() -> insert(c, id + 1, "orch-1", "b".repeat(64), now))
          .as("names are unique")
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> insert(c, id + 2, "orch-2", "a".repeat(64), now))
          .as("token hashes are unique")
          .isInstanceOf(SQLException.class);

      String revoke = "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
      assertThat(update(c, revoke, now, id)).isEqualTo(1);
      assertThat(update(c, revoke, now, id)).as("revoking twice changes nothing").isZero();
      assertThat(update(c, "UPDATE api_key SET last_used_at = ? WHERE id = ?", now, id))
          .isEqualTo(1);

      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, name, role, token_hash, created_by, created_at, expires_at, revoked_at, "
                  + "last_used_at FROM api_key WHERE token_hash = ?")) {
        ps.setString(1, "a".repeat(64));
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString("name")).isEqualTo("orch-1");
          assertThat(rs.getString("role")).isEqualTo("orchestrator");
          assertThat(rs.getTimestamp("expires_at").toInstant()).isEqualTo(now.plusSeconds(3600));
          assertThat(rs.getTimestamp("revoked_at").toInstant()).isEqualTo(now);
          assertThat(rs.getTimestamp("last_used_at").toInstant()).isEqualTo(now);
        }
      }
    }
  }

  private static void insert(Connection c, long id, String name, String hash, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO api_key (id, name, role, token_hash, created_by, created_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, name);
      ps.setString(3, "orchestrator");
      ps.setString(4, hash);
      ps.setString(5, "admin");
      ps.setTimestamp(6, Timestamp.from(now));
      ps.setTimestamp(7, Timestamp.from(now.plusSeconds(3600)));
      ps.executeUpdate();
    }
  }

  private static int update(Connection c, String sql, Instant at, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(at));
      ps.setLong(2, id);
      return ps.executeUpdate();
    }
  }
}
