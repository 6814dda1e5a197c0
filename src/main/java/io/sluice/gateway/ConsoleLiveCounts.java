package io.sluice.gateway;

import io.sluice.console.domain.LiveCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** The console's live counts from this node's proxy engine. */
@ApplicationScoped
public class ConsoleLiveCounts implements LiveCounts {

  @Inject ProxyViews proxy;

  @Override
  public int sessions() {
    return proxy.sessions().size();
  }

  @Override
  public Map<String, Long> exitsByState() {
    return proxy.exitCounts();
  }
}
