package io.sluice.exits.app;

import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.exits.domain.UpstreamUsernameTemplate;
import io.sluice.exits.domain.selection.ExitState;
import java.util.Map;

/**
 * An immutable picture of the exits, pools and dedicated assignments, rebuilt from the database
 * when they change (and periodically, for changes made on other nodes).
 *
 * @param routes the engine route of every enabled exit, by exit id
 * @param exits kind, country and state of every exit, by exit id
 * @param dedicatedByPort the assignment behind each dedicated port
 * @param usernameTemplates the upstream username template of every exit that has one, by exit id
 */
public record ExitSnapshot(
    Map<Long, ExitRoute> routes,
    Map<Long, ExitInfo> exits,
    Map<Integer, Dedicated> dedicatedByPort,
    Map<String, PoolDef> pools,
    Map<Long, UpstreamUsernameTemplate> usernameTemplates) {

  public static final ExitSnapshot EMPTY = new ExitSnapshot(Map.of(), Map.of(), Map.of(), Map.of());

  /** A snapshot without upstream username templates. */
  public ExitSnapshot(
      Map<Long, ExitRoute> routes,
      Map<Long, ExitInfo> exits,
      Map<Integer, Dedicated> dedicatedByPort,
      Map<String, PoolDef> pools) {
    this(routes, exits, dedicatedByPort, pools, Map.of());
  }

  /**
   * The route of an exit for one connection: its static route, with the upstream username rendered
   * from its template when it has one (null when there is no route, or the rendered username is
   * unusable).
   */
  public ExitRoute routeFor(long exitId, ProxyPrincipal principal) {
    ExitRoute base = routes.get(exitId);
    UpstreamUsernameTemplate template = usernameTemplates.get(exitId);
    return template == null ? base : UpstreamSessions.route(base, template, principal);
  }

  /**
   * What selection needs to know of an exit ({@code state} is {@code disabled} when switched off).
   */
  public record ExitInfo(
      String name, String kind, String country, ExitState state, Integer latencyMs) {}

  /** A dedicated port's owner and pinned exit ({@code exitId} null: direct). */
  public record Dedicated(long userId, int port, Long exitId) {}

  /** A pool as loaded from the database. */
  public record PoolDef(
      long id,
      String name,
      String strategy,
      String fallback,
      int stickyTtlMinutes,
      java.util.List<Long> members) {}
}
