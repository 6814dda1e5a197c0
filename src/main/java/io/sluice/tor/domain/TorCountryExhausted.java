package io.sluice.tor.domain;

/**
 * A node of {@code country} (null: any country) found no exit that is not held by another node or
 * seen in the last rotations, after {@code tries} rotations. Fired as a CDI event.
 */
public record TorCountryExhausted(String country, String server, int index, int tries) {}
