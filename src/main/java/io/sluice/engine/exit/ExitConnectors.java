package io.sluice.engine.exit;

import io.sluice.engine.spi.ExitRoute;
import java.util.Map;

/**
 * Maps each {@link ExitRoute} type to its {@link Connector}. Adding an exit type means adding
 * one {@code ExitRoute} record and one connector here.
 */
public final class ExitConnectors {

  private final Map<Class<? extends ExitRoute>, Connector> connectors;

  public ExitConnectors(Map<Class<? extends ExitRoute>, Connector> connectors) {
    this.connectors = Map.copyOf(connectors);
  }

  /** The connector for the route, or {@code null} when the route type is not supported. */
  public Connector forRoute(ExitRoute route) {
    return route == null ? null : connectors.get(route.getClass());
  }
}
