package io.sluice.platform.web;

/** Role names carried in the token's {@code groups} claim. */
public final class Roles {

  /** Read and write. */
  public static final String ADMIN = "admin";

  /** Read only. */
  public static final String VIEWER = "viewer";

  /** A token issued before the forced first password change; it may only change the password. */
  public static final String PASSWORD_CHANGE = "password-change";

  private Roles() {}
}
