package io.sluice.admin.infra.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The bucket table DDL also runs on H2, since Flyway migrations are shared by both databases. */
class BucketTableDdlTest {

  @Test
  void ddlRunsOnH2() throws Exception {
    String ddl = PostgresRateLimiterTest.bucketTableDdl();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:rl_ddl_" + System.nanoTime());
        Statement st = c.createStatement()) {
      for (String sql : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!sql.isBlank()) {
          st.execute(sql);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO rate_limit_bucket(id, state, expires_at) VALUES (?, ?, ?)")) {
        ps.setString(1, "ip:1.2.3.4:login@5/60000ms");
        ps.setBytes(2, new byte[] {1, 2, 3});
        ps.setLong(3, 42L);
        ps.executeUpdate();
      }
      try (ResultSet rs = st.executeQuery("SELECT state FROM rate_limit_bucket")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).containsExactly(1, 2, 3);
      }
    }
  }
}
