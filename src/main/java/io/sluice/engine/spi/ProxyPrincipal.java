package io.sluice.engine.spi;

import java.util.List;

/**
 * An authenticated proxy user as the engine sees it.
 *
 * @param userId stable id of the user (database id), or {@code null} for an anonymous principal
 *     admitted by the global source-IP whitelist
 * @param username the bare username (routing parameters stripped)
 * @param limits the user's limits
 * @param allowDestinations per-user destination allow-list entries ({@code CIDR:port-range}),
 *     layered over the global allow list by the destination policy
 * @param routing routing parameters parsed from the username (pool, country, session, ...); empty
 *     when none were given
 */
public record ProxyPrincipal(
    Long userId,
    String username,
    UserLimits limits,
    List<String> allowDestinations,
    Routing routing) {

  public ProxyPrincipal {
    limits = limits == null ? UserLimits.UNLIMITED : limits;
    allowDestinations = allowDestinations == null ? List.of() : List.copyOf(allowDestinations);
    routing = routing == null ? Routing.NONE : routing;
  }

  /** A principal admitted without credentials (global source whitelist or auth disabled). */
  public static ProxyPrincipal anonymous() {
    return new ProxyPrincipal(null, "-", UserLimits.UNLIMITED, List.of(), Routing.NONE);
  }

  public boolean isAnonymous() {
    return userId == null;
  }
}
