package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/backup.sh} and {@code scripts/restore.sh} on a real PostgreSQL database: {@code
 * sluice_backup_test} on 127.0.0.1:5432 as sluice/sluice, which {@code .ci/run} creates (the sluice
 * role may not create databases). Skipped when that database or {@code pg_dump} is missing.
 */
@Timeout(180)
class BackupRestoreTest {

  static final String URL = "jdbc:postgresql://127.0.0.1:5432/sluice_backup_test";

  @Test
  void aDumpRestoresDroppedRows(@TempDir Path tmp) throws Exception {
    assumeTrue(OpsKitTest.onPath("pg_dump"), "pg_dump not on PATH (postgresql-client): skipped");
    Connection c;
    try {
      c = DriverManager.getConnection(URL, "sluice", "sluice");
    } catch (SQLException e) {
      assumeTrue(false, "database sluice_backup_test unreachable (see .ci/run), skipped: " + e);
      return;
    }
    try (c;
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS ops_backup_probe");
      st.execute("CREATE TABLE ops_backup_probe (id int PRIMARY KEY, v text NOT NULL)");
      st.execute(
          "INSERT INTO ops_backup_probe SELECT g, 'row ' || g FROM generate_series(1, 250) g");

      Path dump = tmp.resolve("sluice.dump");
      OpsKitTest.Result backup = script(List.of("scripts/backup.sh", "-o", dump.toString()));
      assertThat(backup.exit()).as(backup.output()).isZero();
      assertThat(backup.output()).contains("KEEP THE SERVER KEY SEPARATELY", "SLUICE_SECRET_KEY");
      assertThat(Files.size(dump)).isPositive();
      assertThat(new String(Files.readAllBytes(dump), 0, 5, StandardCharsets.US_ASCII))
          .as("custom format")
          .isEqualTo("PGDMP");

      st.execute("DROP TABLE ops_backup_probe");
      st.execute("CREATE TABLE ops_backup_other (id int)");

      OpsKitTest.Result refused = script(List.of("scripts/restore.sh", dump.toString()));
      assertThat(refused.exit()).as(refused.output()).isEqualTo(3);
      assertThat(refused.output()).contains("--yes");

      OpsKitTest.Result restore = script(List.of("scripts/restore.sh", "--yes", dump.toString()));
      assertThat(restore.exit()).as(restore.output()).isZero();
      assertThat(restore.output()).contains("KEEP THE SERVER KEY SEPARATELY");

      try (ResultSet rs =
          st.executeQuery("SELECT count(*), sum(id), max(v) FROM ops_backup_probe")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(250);
        assertThat(rs.getLong(2)).isEqualTo(250L * 251 / 2);
        assertThat(rs.getString(3)).isEqualTo("row 99");
      }
      st.execute("DROP TABLE IF EXISTS ops_backup_probe");
      st.execute("DROP TABLE IF EXISTS ops_backup_other");
    }
  }

  private static OpsKitTest.Result script(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("DB_URL", URL);
    env.put("DB_USER", "sluice");
    env.put("DB_PASSWORD", "sluice");
    env.remove("PGPASSWORD");
    env.remove("PGDATABASE");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new OpsKitTest.Result(p.exitValue(), out);
  }
}
