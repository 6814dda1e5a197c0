package io.sluice.exits.domain;

import io.sluice.engine.spi.Routing;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a proxy username that may carry routing parameters: {@code USER(-KEY-VALUE)*}, for example
 * {@code alice-pool-residential-country-de-session-a1b2-ttl-30}. Proxy usernames cannot contain
 * '-', so the first '-' always ends the username. Keys: {@code pool} (pool name), {@code country}
 * (ISO 3166 alpha-2), {@code session} (sticky-session key), {@code ttl} (session lifetime in
 * minutes, 1-1440). An unknown key, a repeated key, a missing value or a malformed value makes the
 * whole username invalid: never a silent fallback.
 */
public final class UsernameRouting {

  public static final String POOL = "pool";
  public static final String COUNTRY = "country";
  public static final String SESSION = "session";
  public static final String TTL = "ttl";

  private static final Map<String, Pattern> VALUES =
      Map.of(
          POOL, Pattern.compile("[a-z0-9_]{1,64}"),
          COUNTRY, Pattern.compile("[a-z]{2}"),
          SESSION, Pattern.compile("[A-Za-z0-9_]{1,64}"),
          TTL, Pattern.compile("[1-9][0-9]{0,3}"));

  /** The parsed username: the bare user and its routing parameters (may be empty). */
  public record Parsed(String username, Routing routing) {}

  /** Thrown for a username whose routing part does not follow the grammar. */
  public static final class InvalidRouting extends IllegalArgumentException {
    public InvalidRouting(String message) {
      super(message);
    }
  }

  private UsernameRouting() {}

  public static Parsed parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidRouting("empty username");
    }
    if (raw.indexOf('-') < 0) {
      return new Parsed(raw, Routing.NONE); // no routing parameters: the common case
    }
    String[] parts = raw.split("-", -1);
    if (parts[0].isEmpty()) {
      throw new InvalidRouting("empty username before routing parameters");
    }
    if (parts.length % 2 == 0) {
      throw new InvalidRouting("routing parameter '" + parts[parts.length - 1] + "' has no value");
    }
    Map<String, String> routing = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i += 2) {
      String key = parts[i].toLowerCase(java.util.Locale.ROOT);
      String value =
          key.equals(SESSION) ? parts[i + 1] : parts[i + 1].toLowerCase(java.util.Locale.ROOT);
      Pattern p = VALUES.get(key);
      if (p == null) {
        throw new InvalidRouting("unknown routing parameter '" + parts[i] + "'");
      }
      if (routing.containsKey(key)) {
        throw new InvalidRouting("routing parameter '" + key + "' given twice");
      }
      if (!p.matcher(value).matches()) {
        throw new InvalidRouting("routing parameter '" + key + "' has an invalid value");
      }
      if (key.equals(TTL) && Integer.parseInt(value) > 1440) {
        throw new InvalidRouting("routing parameter 'ttl' must be 1-1440 minutes");
      }
      routing.put(key, value);
    }
    String ttl = routing.get(TTL);
    return new Parsed(
        parts[0],
        new Routing(
            routing.get(POOL),
            routing.get(COUNTRY),
            routing.get(SESSION),
            ttl == null ? null : Duration.ofMinutes(Integer.parseInt(ttl))));
  }
}
