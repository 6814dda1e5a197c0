package io.sluice.tor.domain;

/**
 * A node stopped serving: crashed or stuck (it will be restarted) or, when {@code terminal}, failed
 * for good (configuration error, too many crashes). Fired as a CDI event.
 */
public record TorNodeFailed(String server, int index, String reason, boolean terminal) {}
