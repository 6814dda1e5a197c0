package io.sluice.firewall.domain;

/** CDI event: a port forward was added or removed; observed after commit to re-apply the rules. */
public record ForwardsChanged(long vmId) {}
