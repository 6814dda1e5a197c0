package io.sluice.exits.domain;

/** Fired after a dedicated-port assignment was created or released (committed). */
public record DedicatedChanged(long userId, int port, boolean assigned) {}
