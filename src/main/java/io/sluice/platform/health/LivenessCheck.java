package io.sluice.platform.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the JVM has heap headroom (a node out of memory should be restarted). */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    long max = rt.maxMemory();
    boolean ok = used < max * 0.95;
    return HealthCheckResponse.named("sluice.heap")
        .status(ok)
        .withData("usedBytes", used)
        .withData("maxBytes", max)
        .build();
  }
}
