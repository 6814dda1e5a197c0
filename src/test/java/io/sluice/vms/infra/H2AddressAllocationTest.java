package io.sluice.vms.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * {@link AddressAllocationContract} on embedded H2 in the server's mode (PostgreSQL mode, lower
 * case names), with V19 applied. A longer lock timeout than H2's 1 s default, since 16 threads
 * queue on one pool's row lock here.
 */
@Timeout(300)
class H2AddressAllocationTest extends AddressAllocationContract {

  private static final String URL =
      "jdbc:h2:mem:vm_alloc_"
          + System.nanoTime()
          + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"
          + ";LOCK_TIMEOUT=30000";

  private static Connection keepAlive;
  private static JdbcDataSource nodeA;
  private static JdbcDataSource nodeB;

  @BeforeAll
  static void create() throws Exception {
    keepAlive = DriverManager.getConnection(URL);
    AddressDb.migrate(keepAlive, false);
    nodeA = new JdbcDataSource();
    nodeA.setURL(URL);
    nodeB = new JdbcDataSource();
    nodeB.setURL(URL);
  }

  @AfterAll
  static void drop() throws Exception {
    keepAlive.createStatement().execute("SHUTDOWN");
    keepAlive.close();
  }

  @Override
  DataSource dataSource() {
    return nodeA;
  }

  @Override
  DataSource otherNode() {
    return nodeB;
  }
}
