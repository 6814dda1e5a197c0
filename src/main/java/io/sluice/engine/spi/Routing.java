package io.sluice.engine.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Routing parameters a client gave in its proxy username ({@code
 * alice-pool-residential-country-de-session-a1b2-ttl-30}), parsed once by the authenticator and
 * carried on the {@link ProxyPrincipal} to the {@link ExitSelector}. The engine never reads them.
 *
 * @param pool the exit pool to use, or null (the user's default pool, else direct)
 * @param country an ISO 3166 alpha-2 code in lower case, or null
 * @param session a sticky-session key, or null
 * @param sessionTtl how long the session keeps its exit, or null (the pool's setting)
 */
public record Routing(String pool, String country, String session, Duration sessionTtl) {

  /** No routing parameters. */
  public static final Routing NONE = new Routing(null, null, null, null);

  public Routing {
    if (sessionTtl != null && (sessionTtl.isNegative() || sessionTtl.isZero())) {
      throw new IllegalArgumentException("session TTL must be positive: " + sessionTtl);
    }
  }

  /** True when the username carried no routing parameter. */
  public boolean isEmpty() {
    return pool == null && country == null && session == null && sessionTtl == null;
  }

  /** This routing with {@code pool} (used to apply a user's default pool). */
  public Routing withPool(String pool) {
    return new Routing(pool, country, session, sessionTtl);
  }

  /** The names of the parameters given, in username order ({@code pool, country, session, ttl}). */
  public List<String> names() {
    List<String> names = new ArrayList<>(4);
    if (pool != null) {
      names.add("pool");
    }
    if (country != null) {
      names.add("country");
    }
    if (session != null) {
      names.add("session");
    }
    if (sessionTtl != null) {
      names.add("ttl");
    }
    return names;
  }
}
