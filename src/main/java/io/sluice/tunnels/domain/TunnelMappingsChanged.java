package io.sluice.tunnels.domain;

/** Fired after a tunnel mapping was created or closed (committed). */
public record TunnelMappingsChanged(long mappingId, boolean created) {}
