package io.sluice.domain;

/** Fired after exits or pools changed (committed), so selectors reload their snapshot. */
public record ExitsChanged(String what) {}
