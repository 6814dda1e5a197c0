package io.sluice.firewall.domain;

import java.time.Instant;

/**
 * CDI event: loading the firewall rules failed (the check refused them, or the load did); the rules
 * loaded before stay in place. Fired after the failure, outside any transaction.
 *
 * @param trigger what asked for the apply ({@code api}, {@code vm-changed}, {@code reconcile}...)
 * @param error the command's output, trimmed
 */
public record FirewallApplyFailed(
    Backend backend, String tag, String trigger, String error, Instant at) {}
