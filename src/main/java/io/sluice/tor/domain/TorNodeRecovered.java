package io.sluice.tor.domain;

/** A node that was down has its control port back. Fired as a CDI event. */
public record TorNodeRecovered(String server, int index) {}
