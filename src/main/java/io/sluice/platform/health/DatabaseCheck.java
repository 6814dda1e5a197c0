package io.sluice.platform.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the database answers a query within 2 seconds. */
@Readiness
@ApplicationScoped
public class DatabaseCheck implements HealthCheck {

  @Resource(lookup = "jdbc/sluice")
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("sluice.database");
    try (Connection c = dataSource.getConnection()) {
      boolean valid = c.isValid(2);
      return r.status(valid).withData("product", c.getMetaData().getDatabaseProductName()).build();
    } catch (Exception e) {
      return r.down().withData("error", String.valueOf(e.getMessage())).build();
    }
  }
}
