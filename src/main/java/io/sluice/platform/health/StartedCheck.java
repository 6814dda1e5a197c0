package io.sluice.platform.health;

import io.sluice.platform.db.SystemStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once migrations, keys and the first admin are in place. */
@Startup
@ApplicationScoped
public class StartedCheck implements HealthCheck {

  @Inject SystemStatus status;

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("sluice.startup").status(status.started());
    status.startupError().ifPresent(e -> r.withData("error", e));
    return r.withData("database", status.databaseProduct()).build();
  }
}
