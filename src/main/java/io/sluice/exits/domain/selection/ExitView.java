package io.sluice.exits.domain.selection;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What selection needs to know about one exit. Pool membership lives in {@link PoolSnapshot}; live
 * connection counts in {@link ConnectionCounts}; how to connect through it is the host's business
 * (it maps the id to an engine route).
 *
 * @param id stable exit id (database id)
 * @param kind {@code direct}, {@code socks5}, {@code http} or {@code tor} (a node of Sluice's Tor
 *     fleet: an upstream SOCKS5 on loopback)
 * @param country ISO 3166 alpha-2 code, lower case (normalised), or {@code null} if unknown
 * @param state last known health; only {@link ExitState#selectable() selectable} exits are chosen
 * @param latencyMillis last measured latency in milliseconds, or {@code null} without data
 */
public record ExitView(long id, String kind, String country, ExitState state, Long latencyMillis) {

  public static final String DIRECT = "direct";
  public static final String SOCKS5 = "socks5";
  public static final String HTTP = "http";
  public static final String TOR = "tor";

  /** The kinds this version knows. */
  public static final Set<String> KINDS = Set.of(DIRECT, SOCKS5, HTTP, TOR);

  public ExitView {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "exit " + id + ": unknown kind '" + kind + "'; valid: direct, socks5, http, tor");
    }
    country = normaliseCountry(country);
    if (latencyMillis != null && latencyMillis < 0) {
      throw new IllegalArgumentException("exit " + id + ": latencyMillis must not be negative");
    }
  }

  /** The same exit in another health state. */
  public ExitView withState(ExitState newState) {
    return new ExitView(id, kind, country, newState, latencyMillis);
  }

  /** The same exit with another latency measurement ({@code null}: no data). */
  public ExitView withLatency(Long newLatencyMillis) {
    return new ExitView(id, kind, country, state, newLatencyMillis);
  }

  /** Whether strategies may choose this exit (its state is HEALTHY or SUSPECT). */
  public boolean selectable() {
    return state.selectable();
  }

  /** Lower-cases and checks an ISO alpha-2 code; {@code null} stays {@code null}. */
  static String normaliseCountry(String country) {
    if (country == null) {
      return null;
    }
    String c = country.toLowerCase(Locale.ROOT);
    if (c.length() != 2
        || c.charAt(0) < 'a'
        || c.charAt(0) > 'z'
        || c.charAt(1) < 'a'
        || c.charAt(1) > 'z') {
      throw new IllegalArgumentException(
          "country must be an ISO 3166 alpha-2 code: '" + country + "'");
    }
    return c;
  }
}
