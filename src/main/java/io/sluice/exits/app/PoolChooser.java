package io.sluice.exits.app;

import io.sluice.engine.spi.Destination;
import io.sluice.engine.spi.ProxyPrincipal;
import java.util.Set;

/**
 * Chooses an exit id from a pool of an {@link ExitSnapshot}; {@code null} when none is selectable.
 */
public interface PoolChooser {
  Long choose(
      ExitSnapshot snapshot,
      String pool,
      ProxyPrincipal principal,
      Destination destination,
      Set<Long> excludedExitIds);
}
