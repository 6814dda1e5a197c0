package io.sluice.admin.infra.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.admin.domain.Decision;
import io.sluice.admin.domain.Limit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Against a real PostgreSQL (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code
 * postgres}; override with {@code -Dsluice.test.pg.url/user/password}). Skipped when the server is
 * unreachable. Creates a private schema with the bucket table from {@code bucket-table.sql} and
 * drops it afterwards.
 */
@Timeout(60)
class PostgresRateLimiterTest {

  private static PGSimpleDataSource ds;
  private static String schema;
  private static String table;
  private static String unavailable;

  @BeforeAll
  static void createTable() throws Exception {
    PGSimpleDataSource candidate = new PGSimpleDataSource();
    candidate.setURL(
        System.getProperty("sluice.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test"));
    candidate.setUser(System.getProperty("sluice.test.pg.user", "postgres"));
    String password = System.getProperty("sluice.test.pg.password");
    if (password != null) {
      candidate.setPassword(password);
    }
    candidate.setConnectTimeout(3);
    candidate.setLoginTimeout(3);
    try (Connection c = candidate.getConnection()) {
      if (!c.isValid(3)) {
        unavailable = "PostgreSQL connection not valid";
        return;
      }
    } catch (SQLException e) {
      unavailable = "PostgreSQL unreachable, skipping: " + e.getMessage();
      return;
    }
    ds = candidate;
    schema = "sluice_rl_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    table = schema + ".rate_limit_bucket";
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      st.execute("SET search_path TO " + schema);
      st.execute(bucketTableDdl()); // the exact DDL handed to the Flyway migration
    }
  }

  @BeforeEach
  void requirePostgres() {
    assumeTrue(unavailable == null, () -> unavailable);
  }

  @AfterAll
  static void dropTable() throws SQLException {
    if (ds != null && schema != null) {
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  static String bucketTableDdl() throws IOException {
    try (InputStream in = PostgresRateLimiter.class.getResourceAsStream("bucket-table.sql")) {
      assertThat(in).as("bucket-table.sql on the class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String uniqueKey(String what) {
    return "ip:192.0.2." + (int) (Math.random() * 250) + ":" + what + ":" + UUID.randomUUID();
  }

  @Test
  void twoInstancesShareOneBucket() {
    PostgresRateLimiter nodeA = new PostgresRateLimiter(ds, table);
    PostgresRateLimiter nodeB = new PostgresRateLimiter(ds, table);
    Limit login = Limit.perMinute(5);
    String key = uniqueKey("login");

    assertThat(nodeA.tryConsume(key, login)).isEqualTo(new Decision.Allowed(4));
    assertThat(nodeB.tryConsume(key, login)).isEqualTo(new Decision.Allowed(3));
    assertThat(nodeA.tryConsume(key, login)).isEqualTo(new Decision.Allowed(2));
    assertThat(nodeB.tryConsume(key, login)).isEqualTo(new Decision.Allowed(1));
    assertThat(nodeB.tryConsume(key, login)).isEqualTo(new Decision.Allowed(0));

    Decision deniedA = nodeA.tryConsume(key, login);
    Decision deniedB = nodeB.tryConsume(key, login);
    assertThat(deniedA).isInstanceOf(Decision.Denied.class);
    assertThat(deniedB).isInstanceOf(Decision.Denied.class);
    // 5 per minute: the next token comes within 12 s
    assertThat(((Decision.Denied) deniedA).retryAfterSeconds()).isBetween(1L, 12L);

    // other keys and other limits are untouched
    assertThat(nodeB.tryConsume(uniqueKey("login"), login)).isEqualTo(new Decision.Allowed(4));
    assertThat(nodeB.tryConsume(key, Limit.perMinute(60))).isEqualTo(new Decision.Allowed(59));
  }

  @Test
  void refillsAfterThePeriod() throws InterruptedException {
    PostgresRateLimiter nodeA = new PostgresRateLimiter(ds, table);
    PostgresRateLimiter nodeB = new PostgresRateLimiter(ds, table);
    Limit limit = new Limit(3, Duration.ofSeconds(2));
    String key = uniqueKey("api");
    for (int i = 0; i < 3; i++) {
      assertThat((i % 2 == 0 ? nodeA : nodeB).tryConsume(key, limit))
          .isInstanceOf(Decision.Allowed.class);
    }
    Decision denied = nodeB.tryConsume(key, limit);
    assertThat(denied).isInstanceOf(Decision.Denied.class);
    assertThat(((Decision.Denied) denied).retryAfterSeconds()).isEqualTo(1);

    Thread.sleep(2_100);
    assertThat(nodeA.tryConsume(key, limit)).isEqualTo(new Decision.Allowed(2));
  }

  @Test
  void concurrentNodesGrantExactlyTheCapacity() throws Exception {
    List<PostgresRateLimiter> nodes =
        List.of(new PostgresRateLimiter(ds, table), new PostgresRateLimiter(ds, table));
    Limit limit = new Limit(60, Duration.ofHours(1));
    String key = uniqueKey("api");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        PostgresRateLimiter node = nodes.get(t % 2);
        results.add(
            pool.submit(() -> {
              start.await();
              int allowed = 0;
              for (int i = 0; i < 20; i++) {
                if (node.tryConsume(key, limit) instanceof Decision.Allowed) {
                  allowed++;
                }
              }
              return allowed;
            }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(45, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(60);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void storesTheKeyWithTheLimitTagAndAnExpiry() throws SQLException {
    PostgresRateLimiter limiter = new PostgresRateLimiter(ds, table);
    String key = uniqueKey("login");
    long before = System.currentTimeMillis();
    limiter.tryConsume(key, Limit.perMinute(5));
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, state, expires_at FROM "
                    + table
                    + " WHERE id = '"
                    + key
                    + "@5/60000ms'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBytes("state")).isNotEmpty();
      // refilling one token takes 12 s, plus the 10 s margin
      assertThat(rs.getLong("expires_at")).isBetween(before + 20_000, before + 80_000);
    }
  }

  @Test
  void removesExpiredRows() throws SQLException {
    PostgresRateLimiter limiter = new PostgresRateLimiter(ds, table);
    String key = uniqueKey("api");
    limiter.tryConsume(key, Limit.perMinute(60));
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE " + table + " SET expires_at = 0 WHERE id LIKE '" + key + "@%'");
    }
    int removed = 0;
    int batch;
    do {
      batch = limiter.removeExpired(100);
      removed += batch;
    } while (batch == 100);
    assertThat(removed).isGreaterThanOrEqualTo(1);
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM " + table + " WHERE id LIKE '" + key + "@%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
    // a removed bucket starts full again
    assertThat(limiter.tryConsume(key, Limit.perMinute(60))).isEqualTo(new Decision.Allowed(59));
  }

  @Test
  void rejectsUnsafeTableNames() {
    assertThatThrownBy(() -> new PostgresRateLimiter(ds, "bucket; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PostgresRateLimiter(ds, "\"quoted\""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
