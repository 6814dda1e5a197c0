package io.sluice.exits.infra;

import io.sluice.engine.probe.ProbeClient;
import io.sluice.exits.domain.ExitProber;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.exits.domain.ProbeTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@link ExitProber} the health service injects: an {@link ExitProbe} on the proxy engine's own
 * event loops and connectors, so a check takes the path user traffic takes. The gateway fires the
 * engine's {@link ProbeClient} as a CDI event when the engine has started; until then {@link
 * #ready()} is false. The deadline is {@code sluice.exits.check-timeout-seconds} (default 10, at
 * least 1).
 */
@ApplicationScoped
public class ExitProbes implements ExitProber {

  @Inject
  @ConfigProperty(name = "sluice.exits.check-timeout-seconds", defaultValue = "10")
  int timeoutSeconds;

  private volatile ExitProbe probe;

  void engineStarted(@Observes ProbeClient client) {
    probe = new ExitProbe(Duration.ofSeconds(Math.max(1, timeoutSeconds)), client);
  }

  @Override
  public boolean ready() {
    return probe != null;
  }

  @Override
  public ProbeResult probe(ProbeTarget exit, URI echoUrl) {
    ExitProbe p = probe;
    if (p == null) {
      return new ProbeResult(false, false, null, 0, 0, "proxy engine not running");
    }
    return p.probe(exit, echoUrl);
  }
}
