package io.sluice.firewall.domain;

/** CDI event: a ruleset was checked and loaded ({@code tag} is its version tag). */
public record FirewallApplied(String tag) {}
