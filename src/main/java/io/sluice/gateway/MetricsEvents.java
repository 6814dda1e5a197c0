package io.sluice.gateway;

import io.sluice.engine.spi.ConnectionInfo;
import io.sluice.engine.spi.EngineEvents;
import io.sluice.engine.spi.SessionView;
import io.sluice.users.domain.UsageRecorder;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Engine events into Prometheus metrics ({@code sluice_proxy_*}, no per-user labels) and into
 * per-user usage accounting. Called on event loops: only counters and adders, no I/O.
 */
public final class MetricsEvents implements EngineEvents {

  private static final Logger LOG = System.getLogger(MetricsEvents.class.getName());

  private final MetricRegistry registry;
  private final UsageRecorder usage;
  private final Counter bytesUp;
  private final Counter bytesDown;
  private final Counter authFailures;
  private final Counter transparentRefused;
  // Handles resolved once per label combination: looking them up in the registry on every
  // connection validated the tags each time (a fifth of the CPU of a connection-rate load).
  private final Map<String, Counter> connections = new ConcurrentHashMap<>();
  private final Map<String, Timer> handshakes = new ConcurrentHashMap<>();
  private final Map<String, Timer> connects = new ConcurrentHashMap<>();

  public MetricsEvents(MetricRegistry registry, UsageRecorder usage) {
    this.registry = registry;
    this.usage = usage;
    this.bytesUp = registry.counter("sluice_proxy_bytes", new Tag("direction", "up"));
    this.bytesDown = registry.counter("sluice_proxy_bytes", new Tag("direction", "down"));
    this.authFailures = registry.counter("sluice_proxy_auth_failures");
    this.transparentRefused = registry.counter("sluice_transparent_unknown_sources");
  }

  @Override
  public void handshake(String protocol, String result, long nanos) {
    connections
        .computeIfAbsent(
            protocol + '\n' + result,
            k ->
                registry.counter(
                    "sluice_proxy_connections",
                    new Tag("protocol", protocol),
                    new Tag("result", result)))
        .inc();
    handshakes
        .computeIfAbsent(
            protocol, k -> registry.timer("sluice_proxy_handshake", new Tag("protocol", protocol)))
        .update(Duration.ofNanos(nanos));
  }

  @Override
  public void connect(String protocol, String result, long nanos) {
    connects
        .computeIfAbsent(
            result, k -> registry.timer("sluice_proxy_connect", new Tag("result", result)))
        .update(Duration.ofNanos(nanos));
  }

  @Override
  public void authFailure(ConnectionInfo connection, String reason) {
    authFailures.inc();
    if (connection.listenerTag() instanceof io.sluice.engine.spi.ListenerTag.Transparent) {
      transparentRefused.inc();
    }
    LOG.log(
        Level.INFO,
        "SLUICE0201I: [{0}] proxy authentication failed for {1} on listener {2}: {3}",
        new Object[] {
          connection.connectionId(), connection.client(), connection.listener(), reason
        });
  }

  @Override
  public void sessionOpened(SessionView session) {
    Long user = session.principal().userId();
    if (user != null) {
      usage.connection(user);
    }
  }

  @Override
  public void bytes(SessionView session, long up, long down) {
    if (up > 0) {
      bytesUp.inc(up);
    }
    if (down > 0) {
      bytesDown.inc(down);
    }
    Long user = session.principal().userId();
    if (user != null) {
      usage.bytes(user, up, down);
    }
  }
}
