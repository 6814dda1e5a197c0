package io.sluice.console.app;

import io.sluice.platform.web.Roles;

/** Who may receive an event on the stream. */
public enum Audience {
  /** Admins and viewers: counts, agent connections. */
  VIEWER,
  /**
   * Admins only: security events (failed logins, lockouts, token reuse) name accounts and
   * addresses.
   */
  ADMIN;

  /** Whether a stream opened with {@code role} receives events of this audience. */
  public boolean allows(String role) {
    return switch (this) {
      case VIEWER -> Roles.ADMIN.equals(role) || Roles.VIEWER.equals(role);
      case ADMIN -> Roles.ADMIN.equals(role);
    };
  }
}
