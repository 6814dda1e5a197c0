import io.sluice.vms.domain.AddressPool;
import io.sluice.vms.domain.AddressPoolRepository;
import io.sluice.vms.domain.Allocated;
import io.sluice.vms.domain.Addresses;
import io.sluice.vms.domain.FreeRanges;
import io.sluice.vms.domain.PoolAllocator;
import io.sluice.vms.domain.PoolPrefix;
import io.sluice.vms.domain.Reserved;
import io.sluice.platform.db.JdbcSql;
import io.sluice.vms.infra.SqlAllocationStore;
import io.sluice.vms.infra.SqlPoolRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * VM address allocation at scale on PostgreSQL: a 10.0.0.0/8 pool filled with N allocations
 * (default 1,000,000 held: N / 0.95 inserted in batches of 100,000 by generate_series, 5 % of them
 * released again at random so the free ranges are fragmented, then the next 1,000 allocations, 1,000
 * specific-address allocations and 1,000 releases through the real allocator (SqlAllocationStore,
 * PoolAllocator), one transaction each, timed one by one. Prints p50/p99/max and the table sizes.
 * Works in a throw-away schema that it drops at the end.
 */
public final class VmAddressBench {

  private static final SecureRandom RANDOM = new SecureRandom();

  record Tx(SqlPoolRepository pools, SqlAllocationStore store, PoolAllocator allocator) {}

  public static void main(String[] args) throws Exception {
    String url = env("DB_URL", "jdbc:postgresql://127.0.0.1:5432/sluice_ci");
    String user = env("DB_USER", "sluice");
    String password = env("DB_PASSWORD", "sluice");
    int fill = Integer.parseInt(System.getProperty("fill", "1000000"));
    int samples = Integer.parseInt(System.getProperty("samples", "1000"));
    String schema = "sluice_vm_bench_" + Long.toHexString(System.nanoTime());
    try (Connection admin = DriverManager.getConnection(url, user, password);
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    String sep = url.contains("?") ? "&" : "?";
    try (Connection c =
        DriverManager.getConnection(url + sep + "currentSchema=" + schema, user, password)) {
      run(c, fill, samples);
    } finally {
      try (Connection admin = DriverManager.getConnection(url, user, password);
          Statement st = admin.createStatement()) {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static void run(Connection c, int held, int samples) throws Exception {
    migrate(c, Path.of("db/migration/V19__address_pools.sql"));
    migrate(c, Path.of("db/vendor/postgresql/V19_1__address_prefix_exclusion.sql"));
    long pool =
        inTx(
            c,
            tx -> {
              long id =
                  tx.pools()
                      .insert(new AddressPoolRepository.PoolRow("bench", 4, null, 0, List.of()));
              PoolPrefix draft = new PoolPrefix(0, "10.0.0.0/8", 4, 8, "10.0.0.1", 0);
              long usable = PoolAllocator.usable(draft, Reserved.parse(List.of(), 4)).count();
              PoolPrefix p =
                  tx.pools()
                      .insertPrefix(id, new PoolPrefix(0, "10.0.0.0/8", 4, 8, "10.0.0.1", usable));
              tx.allocator().openPrefix(tx.pools().lock(id).orElseThrow(), p, List.of());
              return id;
            });
    long prefixId = inTx(c, tx -> tx.pools().byId(pool).orElseThrow().prefixes().get(0).id());
    System.out.printf("empty /8 pool: %s%n", sizes(c));

    long first = Addresses.v4("10.0.0.2");
    long t0 = System.nanoTime();
    int fill = held + held / 19; // 5 % go back below: about `held` stay held
    c.setAutoCommit(false);
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO address_allocation (pool_id, prefix_id, address, address_num, vm_id, "
                + "allocated_at) SELECT ?, ?, ((n >> 24) & 255) || '.' || ((n >> 16) & 255) || '.' "
                + "|| ((n >> 8) & 255) || '.' || (n & 255), n, n, now() "
                + "FROM generate_series(CAST(? AS BIGINT), CAST(? AS BIGINT)) AS n")) {
      for (long lo = first; lo < first + fill; lo += 100_000) {
        long hi = Math.min(first + fill, lo + 100_000) - 1;
        ins.setLong(1, pool);
        ins.setLong(2, prefixId);
        ins.setLong(3, lo);
        ins.setLong(4, hi);
        ins.executeUpdate();
        c.commit();
      }
    }
    // Release 5 % at random (straight back to the free ranges, hold 0): a fragmented table.
    FreeRanges back = new FreeRanges();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "DELETE FROM address_allocation WHERE pool_id = "
                    + pool
                    + " AND random() < 0.05 RETURNING address_num")) {
      while (rs.next()) {
        back.add(rs.getLong(1), rs.getLong(1));
      }
    }
    long released = back.count();
    try (Statement st = c.createStatement()) {
      st.executeUpdate(
          "UPDATE address_free_range SET first_num = " + (first + fill) + " WHERE pool_id = " + pool);
      st.executeUpdate(
          "UPDATE address_pool SET used_count = " + (fill - released) + " WHERE id = " + pool);
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO address_free_range (pool_id, first_num, last_num) VALUES (?, ?, ?)")) {
      int n = 0;
      for (FreeRanges.Range r : back.ranges()) {
        ins.setLong(1, pool);
        ins.setLong(2, r.first());
        ins.setLong(3, r.last());
        ins.addBatch();
        if (++n % 10_000 == 0) {
          ins.executeBatch();
        }
      }
      ins.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      st.execute("VACUUM ANALYZE address_allocation");
      st.execute("VACUUM ANALYZE address_free_range");
      st.execute("VACUUM ANALYZE address_pool");
    }
    long ranges = count(c, "SELECT COUNT(*) FROM address_free_range");
    System.out.printf(
        Locale.ROOT,
        "inserted %,d allocations, released %,d at random: %,d held, %,d free ranges, in %.1f s%n",
        fill,
        released,
        fill - released,
        ranges,
        (System.nanoTime() - t0) / 1e9);
    System.out.printf("after the fill: %s%n", sizes(c));

    List<String> got = new ArrayList<>();
    double[] any =
        time(
            samples,
            i ->
                inTx(
                    c,
                    tx -> {
                      Allocated a =
                          tx.allocator()
                              .allocate(
                                  tx.pools().lock(pool).orElseThrow(),
                                  null,
                                  10_000_000L + i,
                                  Instant.now());
                      got.add(a.address());
                      return a;
                    }));
    report("next allocation (lowest free)", any);
    Random r = new Random(42);
    double[] specific =
        time(
            samples,
            i ->
                inTx(
                    c,
                    tx ->
                        tx.allocator()
                            .allocate(
                                tx.pools().lock(pool).orElseThrow(),
                                Addresses.v4(first + 1_100_000 + r.nextInt(10_000_000)),
                                20_000_000L + i,
                                Instant.now())),
            true);
    report("specific address (splits a range)", specific);
    double[] release =
        time(
            samples,
            i ->
                inTx(
                    c,
                    tx -> {
                      AddressPool p = tx.pools().lock(pool).orElseThrow();
                      return tx.allocator()
                          .release(p, got.get(i), 10_000_000L + i, Instant.now());
                    }));
    report("release (back into the free ranges)", release);
    System.out.printf("at the end: %s%n", sizes(c));
  }

  private static double[] time(int n, Function<Integer, Object> op) {
    return time(n, op, false);
  }

  /** Runs {@code op} n times; with {@code tolerate}, a failed call (e.g. a taken address) counts. */
  private static double[] time(int n, Function<Integer, Object> op, boolean tolerate) {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      try {
        op.apply(i);
      } catch (RuntimeException e) {
        if (!tolerate) {
          throw e;
        }
      }
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    return ms;
  }

  private static void report(String what, double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-38s n=%d  p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
        what,
        ms.length,
        sorted[sorted.length / 2],
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1],
        sorted[sorted.length - 1]);
  }

  private static String sizes(Connection c) throws Exception {
    StringBuilder s = new StringBuilder();
    for (String t : List.of("address_allocation", "address_free_range", "address_prefix")) {
      long rows = count(c, "SELECT COUNT(*) FROM " + t);
      long bytes = count(c, "SELECT pg_total_relation_size('" + t + "')");
      s.append(String.format(Locale.ROOT, "%s %,d rows %.1f MiB; ", t, rows, bytes / 1048576.0));
    }
    return s.toString();
  }

  private static long count(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static <T> T inTx(Connection c, Function<Tx, T> work) {
    try {
      c.setAutoCommit(false);
      JdbcSql sql = new JdbcSql(c);
      SqlAllocationStore store = new SqlAllocationStore(sql);
      try {
        T out = work.apply(new Tx(new SqlPoolRepository(sql), store, new PoolAllocator(store, RANDOM)));
        c.commit();
        return out;
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void migrate(Connection c, Path file) throws Exception {
    StringBuilder sql = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      if (!line.trim().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    try (Statement st = c.createStatement()) {
      for (String s : sql.toString().split(";")) {
        if (!s.isBlank()) {
          st.execute(s);
        }
      }
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
