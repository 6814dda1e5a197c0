package io.sluice.alerts.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The built-in rules, what their threshold means, and their default settings. */
public final class Rules {

  /** Exits of a pool failing (not healthy) above {@code threshold} percent (default 20). */
  public static final String POOL_FAILING = "pool-failing";

  /** A pool with members of which none is healthy. */
  public static final String POOL_NO_HEALTHY_EXIT = "pool-no-healthy-exit";

  /** An exit's external IP (seen by its health check) changed; clears at the next round. */
  public static final String EXIT_IP_CHANGED = "exit-ip-changed";

  /** A tunnel agent disconnected and not back within the rule's {@code for} (default 5 minutes). */
  public static final String AGENT_OFFLINE = "agent-offline";

  /** The HTTPS certificate expires within {@code threshold} days (default 30). */
  public static final String CERTIFICATE_EXPIRING = "certificate-expiring";

  /**
   * At least {@code threshold} failed logins or lockouts (default 5) from one source in the window.
   */
  public static final String BRUTE_FORCE = "brute-force";

  /** A node cannot reach the database (sent directly, the outbox being in that database). */
  public static final String DATABASE_UNREACHABLE = "database-unreachable";

  /** Firewall rules failed to apply (raised through {@link AlertSignal} by the firewall). */
  public static final String FIREWALL_APPLY_FAILED = "firewall-apply-failed";

  /** No Tor exit left for a country (raised through {@link AlertSignal} by Tor). */
  public static final String TOR_COUNTRY_EXHAUSTED = "tor-country-exhausted";

  /** A refresh token was used twice (its family was revoked); clears after the repeat interval. */
  public static final String TOKEN_REUSE = "token-reuse";

  private static final Duration NONE = Duration.ZERO;
  private static final Duration HOUR = Duration.ofHours(1);

  private static final Map<String, RuleSettings> DEFAULTS =
      Map.ofEntries(
          d(POOL_FAILING, 20, Duration.ofMinutes(2), HOUR, "warning"),
          d(POOL_NO_HEALTHY_EXIT, 0, Duration.ofMinutes(1), HOUR, "critical"),
          d(EXIT_IP_CHANGED, 0, NONE, NONE, "info"),
          d(AGENT_OFFLINE, 0, Duration.ofMinutes(5), Duration.ofHours(4), "warning"),
          d(CERTIFICATE_EXPIRING, 30, NONE, Duration.ofHours(24), "warning"),
          d(BRUTE_FORCE, 5, NONE, HOUR, "critical"),
          d(DATABASE_UNREACHABLE, 0, Duration.ofSeconds(30), HOUR, "critical"),
          d(FIREWALL_APPLY_FAILED, 0, NONE, HOUR, "critical"),
          d(TOR_COUNTRY_EXHAUSTED, 0, Duration.ofMinutes(5), HOUR, "warning"),
          d(TOKEN_REUSE, 0, NONE, NONE, "critical"));

  /** Every rule name, in a stable order. */
  public static final List<String> ALL =
      List.of(
          POOL_FAILING,
          POOL_NO_HEALTHY_EXIT,
          EXIT_IP_CHANGED,
          AGENT_OFFLINE,
          CERTIFICATE_EXPIRING,
          BRUTE_FORCE,
          DATABASE_UNREACHABLE,
          FIREWALL_APPLY_FAILED,
          TOR_COUNTRY_EXHAUSTED,
          TOKEN_REUSE);

  private Rules() {}

  public static RuleSettings defaults(String rule) {
    RuleSettings s = DEFAULTS.get(rule);
    if (s == null) {
      throw new IllegalArgumentException("unknown alert rule " + rule);
    }
    return s;
  }

  public static boolean known(String rule) {
    return DEFAULTS.containsKey(rule);
  }

  private static Map.Entry<String, RuleSettings> d(
      String rule, double threshold, Duration forDuration, Duration repeat, String severity) {
    return Map.entry(rule, new RuleSettings(rule, true, threshold, forDuration, repeat, severity));
  }
}
