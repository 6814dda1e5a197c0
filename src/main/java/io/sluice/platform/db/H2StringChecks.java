package io.sluice.platform.db;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Works around an H2 2.4.240 defect on the embedded database: a {@code CHECK} constraint that
 * compares strings (e.g. {@code state IN ('running', 'done')}) keeps a reference to the session
 * that created it, and once that session's connection is closed while the database stays open (the
 * connection pool discards the migration's connection after its idle time) every insert or update
 * of the table fails with "Check constraint invalid ... The database has been closed". After the
 * migrations, on H2 only, such constraints are dropped; the values are validated by the services
 * anyway, and PostgreSQL keeps every constraint. Numeric checks are not affected and stay.
 */
final class H2StringChecks {

  private static final Logger LOG = System.getLogger(H2StringChecks.class.getName());

  private H2StringChecks() {}

  /** Drops the string-comparing CHECK constraints of the current schema; returns their names. */
  static List<String> drop(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return drop(c);
    }
  }

  static List<String> drop(Connection c) throws SQLException {
    List<String[]> found = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT tc.table_name, cc.constraint_name, cc.check_clause"
                    + " FROM information_schema.check_constraints cc"
                    + " JOIN information_schema.table_constraints tc"
                    + " ON tc.constraint_schema = cc.constraint_schema"
                    + " AND tc.constraint_name = cc.constraint_name"
                    + " WHERE tc.table_schema = CURRENT_SCHEMA")) {
      while (rs.next()) {
        String clause = rs.getString(3);
        if (clause != null && clause.indexOf('\'') >= 0) {
          found.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    List<String> dropped = new ArrayList<>();
    for (String[] tc : found) {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE " + quote(tc[0]) + " DROP CONSTRAINT IF EXISTS " + quote(tc[1]));
        dropped.add(tc[0] + "." + tc[1]);
      }
    }
    if (!dropped.isEmpty()) {
      LOG.log(
          Level.INFO,
          "SLUICE0719I: embedded database: dropped {0} CHECK constraint(s) that compare strings"
              + " (an H2 2.4.240 defect makes them fail later; values are validated by the"
              + " services): {1}",
          new Object[] {dropped.size(), String.join(", ", dropped)});
    }
    return dropped;
  }

  /** A quoted identifier (names come from the catalogue, quotes are doubled anyway). */
  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
