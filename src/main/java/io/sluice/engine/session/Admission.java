package io.sluice.engine.session;

/** Result of asking {@link UserLimiter} for a new session. */
public sealed interface Admission {

  record Admitted(UserAllowance allowance) implements Admission {}

  /** Refused; {@code reason} is {@code max-connections} or {@code connections-per-minute}. */
  record Refused(String reason) implements Admission {}
}
