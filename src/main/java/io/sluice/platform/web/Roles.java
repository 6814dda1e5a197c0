package io.sluice.platform.web;

/** Role names carried in the token's {@code groups} claim. */
public final class Roles {

  /** Read and write. */
  public static final String ADMIN = "admin";

  /** Read only. */
  public static final String VIEWER = "viewer";

  /** A token issued before the forced first password change; it may only change the password. */
  public static final String PASSWORD_CHANGE = "password-change";

  /**
   * An automation client's API key (the VM orchestrator): VMs, address allocation reads, dedicated
   * port assignment, proxy env and stats; nothing else.
   */
  public static final String ORCHESTRATOR = "orchestrator";

  private Roles() {}
}
