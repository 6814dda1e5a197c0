package io.sluice.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports exit counts by state. Always UP: dead exits are data for the operator (and alerts), not a
 * reason to take the server out of a load balancer.
 */
@Readiness
@ApplicationScoped
public class ExitsCheck implements HealthCheck {

  @Inject ProxyViews proxy;

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("sluice.exits").up();
    proxy.exitCounts().forEach(r::withData);
    return r.build();
  }
}
