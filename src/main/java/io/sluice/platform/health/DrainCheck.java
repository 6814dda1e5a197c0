package io.sluice.platform.health;

import io.sluice.platform.db.SluiceStarted;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready once the drain marker {@code sluice.drain-file} exists (see {@link Drain}): the node
 * leaves load balancers before shutdown closes its proxy listeners. Logs each change once.
 */
@Readiness
@ApplicationScoped
public class DrainCheck implements HealthCheck {

  private static final Logger LOG = System.getLogger(DrainCheck.class.getName());

  @Inject
  @ConfigProperty(name = "sluice.drain-file")
  Optional<String> drainFile;

  private Drain drain;
  private final AtomicBoolean reported = new AtomicBoolean();

  @PostConstruct
  void init() {
    drain = new Drain(drainFile.filter(f -> !f.isBlank()).map(Path::of));
  }

  void clearAtStart(@Observes SluiceStarted started) {
    if (drain.clearStale()) {
      LOG.log(
          Level.INFO,
          "SLUICE0780I: removed the drain marker {0} left from before this start",
          drain.marker().orElseThrow());
    }
  }

  @Override
  public HealthCheckResponse call() {
    boolean draining = drain.draining();
    if (reported.compareAndSet(!draining, draining)) {
      LOG.log(
          Level.INFO,
          draining
              ? "SLUICE0781I: drain marker {0} found: readiness is DOWN, live sessions keep running"
              : "SLUICE0782I: drain marker {0} gone: readiness no longer held DOWN",
          drain.marker().map(Path::toString).orElse("-"));
    }
    var r = HealthCheckResponse.named("sluice.drain").status(!draining);
    drain.marker().ifPresent(m -> r.withData("marker", m.toString()));
    return r.build();
  }
}
