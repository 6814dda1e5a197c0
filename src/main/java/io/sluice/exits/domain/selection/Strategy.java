package io.sluice.exits.domain.selection;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a pool chooses one of its eligible exits for a connection. A request with a session key keeps
 * its session's exit in every strategy; the strategy then only picks a new session's first exit.
 */
public enum Strategy {
  /** Same session key (or, without one, same user) keeps the same exit; sliding TTL. */
  STICKY("sticky"),
  /** Each eligible exit in turn (per-pool cursor). */
  ROUND_ROBIN("round-robin"),
  /** Uniformly at random. */
  RANDOM("random"),
  /** Fewest open connections; ties by lowest id. */
  LEAST_CONNECTIONS("least-connections"),
  /** Lowest measured latency; exits without data last; ties by lowest id. */
  LEAST_LATENCY("least-latency"),
  /** Rendezvous hash of destination host and port: same destination, same exit. */
  HASH_DESTINATION("hash-destination");

  private final String externalName;

  Strategy(String externalName) {
    this.externalName = externalName;
  }

  /** The kebab-case name used in the database, the API and configuration. */
  public String externalName() {
    return externalName;
  }

  @Override
  public String toString() {
    return externalName;
  }

  /**
   * The strategy with this kebab-case name ({@code round-robin}); case-insensitive, surrounding
   * blanks ignored.
   *
   * @throws IllegalArgumentException for {@code null} or an unknown name, listing the valid ones
   */
  public static Strategy fromName(String name) {
    if (name != null) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      for (Strategy s : values()) {
        if (s.externalName.equals(n)) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown pool strategy '" + name + "'; valid: " + validNames());
  }

  /** {@code sticky, round-robin, random, least-connections, least-latency, hash-destination}. */
  public static String validNames() {
    return Arrays.stream(values()).map(Strategy::externalName).collect(Collectors.joining(", "));
  }
}
