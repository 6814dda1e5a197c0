package io.sluice.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every configured proxy listener is bound. */
@Readiness
@ApplicationScoped
public class ProxyListenersCheck implements HealthCheck {

  @Inject ProxyViews proxy;

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("sluice.proxy.listeners").status(proxy.isReady());
    proxy
        .listeners()
        .forEach((name, s) ->
            r.withData(
                name,
                s.status()
                    + " "
                    + s.config().kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " "
                    + (s.boundAddress() != null ? s.boundAddress() : s.config().bind())
                    + (s.error() != null ? " " + s.error() : "")));
    proxy.startError().ifPresent(e -> r.withData("error", e));
    var data = proxy.dataPlane();
    r.withData("dataPlane", String.valueOf(data.get("state")));
    if (data.get("staleSeconds") instanceof Long stale) {
      r.withData("dataPlaneStaleSeconds", stale);
    }
    return r.build();
  }
}
