package io.sluice.platform.health;

import io.sluice.platform.db.SystemStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only after the schema migrations were applied at start-up. */
@Readiness
@ApplicationScoped
public class MigrationsCheck implements HealthCheck {

  @Inject SystemStatus status;

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("sluice.migrations");
    return status
        .migrations()
        .map(m ->
            m.applied()
                ? r.up().withData("schemaVersion", m.schemaVersion()).build()
                : r.down().withData("error", String.valueOf(m.error())).build())
        .orElseGet(() -> r.down().withData("error", "not run yet").build());
  }
}
