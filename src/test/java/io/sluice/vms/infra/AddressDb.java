package io.sluice.vms.infra;

import io.sluice.platform.db.JdbcSql;
import io.sluice.platform.db.Sql;
import io.sluice.vms.domain.AddressPool;
import io.sluice.vms.domain.AddressPoolRepository;
import io.sluice.vms.domain.Addresses;
import io.sluice.vms.domain.PoolAllocator;
import io.sluice.vms.domain.PoolPrefix;
import io.sluice.vms.domain.Reserved;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The SQL stores on one JDBC connection per transaction, for the database tests and the benchmark:
 * {@link #inTx} runs a function with the stores of one transaction and commits.
 */
final class AddressDb {

  /** The stores of one transaction. */
  record Tx(SqlPoolRepository pools, SqlAllocationStore store, PoolAllocator allocator) {

    /** Locks the pool (the caller's transaction holds the lock until commit). */
    AddressPool lock(long poolId) {
      return pools.lock(poolId).orElseThrow();
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private AddressDb() {}

  /** Runs the migration's statements (V19, and the PostgreSQL part when asked) on a connection. */
  static void migrate(Connection c, boolean postgres) throws IOException, SQLException {
    run(c, Path.of("db/migration/V19__address_pools.sql"));
    if (postgres) {
      run(c, Path.of("db/vendor/postgresql/V19_1__address_prefix_exclusion.sql"));
    }
  }

  private static void run(Connection c, Path file) throws IOException, SQLException {
    StringBuilder sql = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      if (!line.trim().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    try (Statement st = c.createStatement()) {
      for (String statement : sql.toString().split(";")) {
        if (!statement.isBlank()) {
          st.execute(statement);
        }
      }
    }
  }

  /** Runs {@code work} in one transaction on {@code c} and commits (rolls back on failure). */
  static <T> T inTx(Connection c, Function<Tx, T> work) {
    try {
      c.setAutoCommit(false);
      Sql sql = new JdbcSql(c);
      SqlAllocationStore store = new SqlAllocationStore(sql);
      try {
        T out =
            work.apply(new Tx(new SqlPoolRepository(sql), store, new PoolAllocator(store, RANDOM)));
        c.commit();
        return out;
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T inTx(DataSource ds, Function<Tx, T> work) {
    try (Connection c = ds.getConnection()) {
      return inTx(c, work);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates an IPv4 pool of the given prefixes (gateway .1 of each) as the service would. */
  static long createPool(Tx tx, String name, long hold, List<String> cidrs) {
    long id = tx.pools().insert(new AddressPoolRepository.PoolRow(name, 4, null, hold, List.of()));
    for (String cidr : cidrs) {
      addPrefix(tx, id, cidr, List.of());
    }
    return id;
  }

  /** Adds an IPv4 prefix (replacing the given ones of the pool, which it covers). */
  static PoolPrefix addPrefix(Tx tx, long poolId, String cidr, List<PoolPrefix> replaced) {
    int len = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    long net = Addresses.v4(cidr.substring(0, cidr.indexOf('/')));
    String gateway = replaced.isEmpty() ? Addresses.v4(net + 1) : replaced.get(0).gateway();
    PoolPrefix draft = new PoolPrefix(0, cidr, 4, len, gateway, 0);
    AddressPool pool = tx.lock(poolId);
    long usable = PoolAllocator.usable(draft, Reserved.parse(pool.reserved(), 4)).count();
    tx.pools().deletePrefixes(replaced.stream().map(PoolPrefix::id).toList());
    PoolPrefix stored =
        tx.pools().insertPrefix(poolId, new PoolPrefix(0, cidr, 4, len, gateway, usable));
    tx.allocator().openPrefix(tx.lock(poolId), stored, replaced);
    return stored;
  }

  /** {@code count} consecutive /24 prefixes starting at {@code first}, e.g. 10.1.0.0. */
  static List<String> slash24s(String first, int count) {
    long base = Addresses.v4(first);
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> Addresses.v4(base + 256L * i) + "/24")
        .toList();
  }
}
