package io.sluice.exits.app;

import io.sluice.engine.spi.ExitRoute;
import io.sluice.engine.spi.ProxyPrincipal;
import io.sluice.engine.spi.Routing;
import io.sluice.exits.domain.UpstreamUsernameTemplate;
import io.sluice.platform.problem.ApiException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Upstream sessions: an exit with an {@code upstreamUsernameTemplate} sends, per connection, the
 * template rendered with the connection's routing as its upstream username (the password stays the
 * exit's). The rendered username is never logged above DEBUG, and the password never.
 */
public final class UpstreamSessions {

  private static final Logger LOG = System.getLogger(UpstreamSessions.class.getName());

  public static final String FIELD = "upstreamUsernameTemplate";

  private UpstreamSessions() {}

  /**
   * Validates the {@code upstreamUsernameTemplate} field of a create/patch body: returns the
   * template (null: none, also for an empty string) or adds a field error.
   *
   * @param kind the exit's (or provider's) kind after the change; a direct exit has no upstream
   */
  static String checkTemplate(Object raw, String kind, List<ApiException.FieldError> errors) {
    if (raw == null || (raw instanceof String s && s.isEmpty())) {
      return null;
    }
    if (!(raw instanceof String template)) {
      errors.add(new ApiException.FieldError(FIELD, "must be a string"));
      return null;
    }
    if ("direct".equals(kind)) {
      errors.add(new ApiException.FieldError(FIELD, "only socks5 and http exits have one"));
      return null;
    }
    try {
      return UpstreamUsernameTemplate.parse(template).template();
    } catch (IllegalArgumentException bad) {
      errors.add(
          new ApiException.FieldError(
              FIELD,
              bad.getMessage()
                  + " (segments joined by - or _, placeholders {user} {session} {country} {ttl})"));
      return null;
    }
  }

  /** The parsed template of a stored value, or null when there is none or it no longer parses. */
  static UpstreamUsernameTemplate parseStored(String name, String template) {
    if (template == null || template.isEmpty()) {
      return null;
    }
    try {
      return UpstreamUsernameTemplate.parse(template);
    } catch (IllegalArgumentException bad) {
      LOG.log(
          Level.WARNING,
          "SLUICE0602W: exit {0}: upstream username template ignored: {1}",
          new Object[] {name, bad.getMessage()});
      return null;
    }
  }

  /**
   * The username of an exit's static route and its health checks: with a template, the template
   * rendered without user, session or TTL and with the exit's own country; else the fixed username.
   */
  static String baseUsername(String name, String username, String template, String country) {
    UpstreamUsernameTemplate t = parseStored(name, template);
    if (t == null) {
      return username;
    }
    String rendered = t.render(new UpstreamUsernameTemplate.Values(null, null, country, null));
    return rendered.isEmpty() ? username : rendered;
  }

  /**
   * The route for one connection: {@code base} with the rendered username when the exit has a
   * template, else {@code base} itself.
   *
   * @return the route, or null when the rendered username is not usable (empty, too long, or with a
   *     character the upstream protocol forbids): the connection then fails rather than leaving
   *     with the wrong identity
   */
  public static ExitRoute route(
      ExitRoute base, UpstreamUsernameTemplate template, ProxyPrincipal principal) {
    if (template == null || base == null) {
      return base;
    }
    Routing r = principal.routing();
    UpstreamUsernameTemplate.Values values =
        new UpstreamUsernameTemplate.Values(
            principal.isAnonymous() ? null : principal.username(),
            r.session(),
            r.country(),
            r.sessionTtl() == null ? null : (int) r.sessionTtl().toMinutes());
    String username = template.render(values);
    try {
      ExitRoute route =
          switch (base) {
            case ExitRoute.Socks5Upstream s ->
                new ExitRoute.Socks5Upstream(s.id(), s.host(), s.port(), username, s.password());
            case ExitRoute.HttpUpstream h ->
                new ExitRoute.HttpUpstream(h.id(), h.host(), h.port(), username, h.password());
            case ExitRoute.Direct d -> d;
          };
      if (LOG.isLoggable(Level.DEBUG)) {
        LOG.log(
            Level.DEBUG,
            "exit {0}: upstream username {1} from its template",
            new Object[] {base.id(), username});
      }
      return route;
    } catch (IllegalArgumentException bad) {
      LOG.log(
          Level.WARNING,
          "SLUICE0603W: exit {0}: the upstream username rendered for user {1} is not usable"
              + " ({2}); connection refused",
          new Object[] {base.id(), principal.username(), bad.getMessage()});
      return null;
    }
  }
}
