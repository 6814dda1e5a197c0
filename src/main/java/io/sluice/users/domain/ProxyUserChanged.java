package io.sluice.users.domain;

/**
 * Fired after a proxy user's change is committed. {@code credentialsOrAccessChanged} is true when
 * live sessions must be cut (disabled, deleted, password rotated, expiry moved into the past,
 * source whitelist changed).
 */
public record ProxyUserChanged(
    long userId, String username, Kind kind, boolean credentialsOrAccessChanged) {

  /** What happened to the user. */
  public enum Kind {
    CREATED,
    UPDATED,
    DISABLED,
    ENABLED,
    PASSWORD_ROTATED,
    DELETED
  }
}
