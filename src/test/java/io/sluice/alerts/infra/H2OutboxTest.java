package io.sluice.alerts.infra;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** {@link OutboxContract} on H2 in PostgreSQL mode (the embedded database of a single node). */
class H2OutboxTest extends OutboxContract {

  private DataSource ds;

  @BeforeEach
  void database() throws Exception {
    ds = AlertsDb.h2();
  }

  @Override
  DataSource dataSource() {
    return ds;
  }
}
