package io.sluice.gateway;

import io.sluice.console.domain.LiveCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** The console's live counts from this node's proxy engine. */
@ApplicationScoped
public class ConsoleLiveCounts implements LiveCounts {

  @Inject ProxyHost host;

  @Override
  public int sessions() {
    return host.sessions().size();
  }

  @Override
  public Map<String, Long> exitsByState() {
    return host.exitCounts();
  }
}
