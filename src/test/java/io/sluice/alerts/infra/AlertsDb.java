package io.sluice.alerts.infra;

import io.sluice.alerts.domain.AlertStore;
import io.sluice.alerts.domain.AlertTx;
import io.sluice.alerts.domain.ChannelRow;
import io.sluice.platform.db.JdbcSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The alert tables on a real database for tests: V25 on H2 (PostgreSQL mode, as the server runs it)
 * or on a PostgreSQL schema, and {@link AlertTx} with one JDBC connection per transaction.
 */
public final class AlertsDb {

  private AlertsDb() {}

  /** A fresh in-memory H2 database with V25 applied. */
  public static DataSource h2() throws IOException, SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(
        "jdbc:h2:mem:alerts-"
            + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    ds.setUser("sa");
    // The migrating connection is closed before the tests use the database, as Flyway's may be
    // in the server: V25 has no CHECK constraints, which H2 then fails (see its header).
    try (Connection c = ds.getConnection()) {
      migrate(c);
    }
    return ds;
  }

  /** Runs V25. */
  public static void migrate(Connection c) throws IOException, SQLException {
    StringBuilder sql = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("db/migration/V25__alerts.sql"))) {
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

  /** Each call its own connection and transaction, committed on return, rolled back on a throw. */
  public static AlertTx tx(DataSource ds) {
    return new AlertTx() {
      @Override
      public <T> T inTransaction(Function<AlertStore, T> work) {
        try (Connection c = ds.getConnection()) {
          c.setAutoCommit(false);
          try {
            T out = work.apply(new SqlAlertStore(new JdbcSql(c)));
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
    };
  }

  /** Adds an enabled channel with the given non-secret config JSON and no secrets. */
  public static long channel(AlertTx tx, String name, String type, String config) {
    Instant now = Instant.now();
    return tx.inTransaction(
        s -> s.insertChannel(new ChannelRow(0, name, type, true, config, null, now, now)));
  }
}
