package io.sluice.users.app;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The writable fields of a proxy user as sent by the API, with which of them were present in the
 * request ({@code present}); a present field with a {@code null} value clears it (JSON merge patch
 * semantics, RFC 7396).
 */
public record ProxyUserSpec(
    Set<String> present,
    String username,
    Boolean enabled,
    Instant expiresAt,
    Integer maxConnections,
    Long bandwidthUpBps,
    Long bandwidthDownBps,
    Integer connectionsPerMinute,
    List<String> allowedSources,
    List<String> allowedDestinations,
    String note,
    String defaultPool,
    List<String> allowedPools,
    List<String> allowedClients) {

  public static final Set<String> FIELDS =
      Set.of(
          "username",
          "enabled",
          "expiresAt",
          "maxConnections",
          "bandwidthUpBps",
          "bandwidthDownBps",
          "connectionsPerMinute",
          "allowedSources",
          "allowedDestinations",
          "note",
          "defaultPool",
          "allowedPools",
          "allowedClients");

  public boolean has(String field) {
    return present.contains(field);
  }
}
