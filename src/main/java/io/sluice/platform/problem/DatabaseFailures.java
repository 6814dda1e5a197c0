package io.sluice.platform.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a failure to reach the database apart from every other error, by the JDBC exceptions in a
 * cause chain (JPA and EJB wrap them): the connection-exception types, and the SQLSTATE classes
 * that mean "no usable connection" whatever the driver: {@code 08} (connection exception), {@code
 * 57P01}-{@code 57P03} (PostgreSQL shutting down, crashed, not yet accepting connections) and
 * {@code 53300} (too many connections). Liberty's pool wait timeout is a {@link
 * SQLTransientConnectionException}.
 */
public final class DatabaseFailures {

  private DatabaseFailures() {}

  /** Whether {@code t} or one of its causes (or chained SQL exceptions) is a connection failure. */
  public static boolean isConnectionFailure(Throwable t) {
    int guard = 0;
    for (Throwable c = t; c != null && guard++ < 64; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException sql && isConnectionFailure(sql)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConnectionFailure(SQLException e) {
    int guard = 0;
    for (SQLException s = e; s != null && guard++ < 16; s = s.getNextException()) {
      if (s instanceof SQLTransientConnectionException
          || s instanceof SQLNonTransientConnectionException
          || s instanceof SQLRecoverableException) {
        return true;
      }
      String state = s.getSQLState();
      if (state != null
          && (state.startsWith("08")
              || state.equals("57P01")
              || state.equals("57P02")
              || state.equals("57P03")
              || state.equals("53300"))) {
        return true;
      }
    }
    return false;
  }
}
