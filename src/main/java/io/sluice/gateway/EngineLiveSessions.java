package io.sluice.gateway;

import io.sluice.engine.spi.SessionView;
import io.sluice.tor.domain.LiveSessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@link LiveSessions} from the proxy engine's session registry: a session's exit route carries its
 * exit's name as its id.
 */
@ApplicationScoped
public class EngineLiveSessions implements LiveSessions {

  @Inject ProxyViews proxy;

  @Override
  public int onExit(String exitName) {
    int n = 0;
    for (SessionView s : proxy.sessions()) {
      if (s.exit() != null && exitName.equals(s.exit().id())) {
        n++;
      }
    }
    return n;
  }
}
