package io.sluice.exits.infra;

import io.sluice.exits.domain.ExitProber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Produces the {@link ExitProber} the health service injects: an {@link ExitProbe} whose deadline
 * is {@code sluice.exits.check-timeout-seconds} (default 10, at least 1).
 */
@ApplicationScoped
public class ExitProbes {

  @Inject
  @ConfigProperty(name = "sluice.exits.check-timeout-seconds", defaultValue = "10")
  int timeoutSeconds;

  @Produces
  @Dependent
  ExitProber prober() {
    return new ExitProbe(Duration.ofSeconds(Math.max(1, timeoutSeconds)));
  }
}
