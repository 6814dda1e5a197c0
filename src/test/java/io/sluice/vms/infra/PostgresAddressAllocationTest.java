package io.sluice.vms.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.vms.domain.PoolPrefix;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link AddressAllocationContract} on a real PostgreSQL ({@code
 * -Dsluice.test.pg.url/user/password}, else {@code DB_URL}/{@code DB_USER}/{@code DB_PASSWORD},
 * else {@code jdbc:postgresql://127.0.0.1:5432/sluice_ci} as sluice/sluice), in a throw-away schema
 * with V19 and V19_1 applied, dropped afterwards. Skipped when PostgreSQL is unreachable.
 */
@Timeout(300)
class PostgresAddressAllocationTest extends AddressAllocationContract {

  private static PGSimpleDataSource nodeA;
  private static PGSimpleDataSource nodeB;
  private static String schema;
  private static String unavailable;

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

  @BeforeAll
  static void createSchema() throws Exception {
    PGSimpleDataSource admin = source(null);
    schema = "sluice_vm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = admin.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      unavailable = "PostgreSQL unreachable, skipping: " + e.getMessage();
      return;
    }
    nodeA = source(schema);
    nodeB = source(schema);
    try (Connection c = nodeA.getConnection()) {
      AddressDb.migrate(c, true);
    }
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (unavailable == null && schema != null) {
      try (Connection c = source(null).getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @BeforeEach
  void requirePostgres() {
    assumeTrue(unavailable == null, () -> unavailable);
  }

  @Override
  DataSource dataSource() {
    return nodeA;
  }

  @Override
  DataSource otherNode() {
    return nodeB;
  }

  @Test
  void theExclusionConstraintRefusesOverlappingPrefixesOfTwoPools() throws Exception {
    try (Connection c = nodeA.getConnection()) {
      AddressDb.inTx(c, tx -> AddressDb.createPool(tx, "excl-a", 0, List.of("10.250.0.0/16")));
      assertThatThrownBy(() ->
              AddressDb.inTx(
                  c,
                  tx -> {
                    long b = AddressDb.createPool(tx, "excl-b", 0, List.of());
                    return tx.pools()
                        .insertPrefix(
                            b, new PoolPrefix(0, "10.250.7.0/24", 4, 24, "10.250.7.1", 253));
                  }))
          .hasMessageContaining("address_prefix_no_overlap");
      assertThat(AddressDb.<Boolean>inTx(c, tx -> tx.pools().byName("excl-b").isPresent()))
          .isFalse();
    }
  }
}
