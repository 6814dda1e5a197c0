package io.sluice.admin.domain;

import java.time.Instant;

/**
 * A security event other parts of Sluice may react to (the alerts feature will send them): fired as
 * a CDI event after it was logged, counted and audited.
 *
 * @param kind {@code auth.failure} (a failed login), {@code auth.lockout}, {@code auth.token-reuse}
 * @param subject the account name or address concerned ({@code name / address} for logins)
 */
public record SecurityEvent(String kind, String subject, String detail, Instant at) {}
