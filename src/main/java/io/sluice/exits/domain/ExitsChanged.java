package io.sluice.exits.domain;

/** Fired after exits or pools changed (committed), so selectors reload their snapshot. */
public record ExitsChanged(String what) {}
