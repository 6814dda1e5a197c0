package io.sluice.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

  @Test
  void connectionFailuresAreRecognisedThroughWrappers() {
    assertThat(
            DatabaseFailures.isConnectionFailure(
                new PersistenceException(
                    new RuntimeException(new SQLTransientConnectionException("pool wait")))))
        .isTrue();
    assertThat(
            DatabaseFailures.isConnectionFailure(
                new jakarta.ejb.EJBException(new SQLNonTransientConnectionException("refused"))))
        .isTrue();
    // PostgreSQL: connection refused (08001), connection failure (08006), shutting down (57P01)
    for (String state : new String[] {"08001", "08006", "08003", "57P01", "57P03", "53300"}) {
      assertThat(
              DatabaseFailures.isConnectionFailure(
                  new PersistenceException(new SQLException("x", state))))
          .as(state)
          .isTrue();
    }
    SQLException chained = new SQLException("batch", "XX000");
    chained.setNextException(new SQLException("gone", "08006"));
    assertThat(DatabaseFailures.isConnectionFailure(chained)).isTrue();
  }

  @Test
  void otherDatabaseErrorsAreNot() {
    assertThat(DatabaseFailures.isConnectionFailure(new SQLException("dup", "23505"))).isFalse();
    assertThat(
            DatabaseFailures.isConnectionFailure(
                new PersistenceException(new SQLIntegrityConstraintViolationException("fk"))))
        .isFalse();
    assertThat(DatabaseFailures.isConnectionFailure(new SQLException("no state"))).isFalse();
    assertThat(DatabaseFailures.isConnectionFailure(new IllegalStateException())).isFalse();
    assertThat(DatabaseFailures.isConnectionFailure(null)).isFalse();
  }

  /** The datasource fails fast: driver timeouts and the pool wait come from server variables. */
  @Test
  void theDatasourceHasConnectSocketAndPoolWaitTimeouts() throws Exception {
    String xml = Files.readString(Path.of("liberty/server.xml"));
    assertThat(xml)
        .contains("connectTimeout=\"${db.connect.timeout}\"")
        .doesNotContain(
            "loginTimeout") // Liberty refuses it on a java.sql.Driver data source (DSRA4005E)
        .contains("socketTimeout=\"${db.socket.timeout}\"")
        .contains("connectionTimeout=\"${db.pool.wait}\"")
        .contains("<variable name=\"db.connect.timeout\" defaultValue=\"2\"/>")
        .contains("<variable name=\"db.pool.wait\" defaultValue=\"3s\"/>");
  }
}
