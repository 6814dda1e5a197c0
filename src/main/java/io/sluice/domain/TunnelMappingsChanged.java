package io.sluice.domain;

/** Fired after a tunnel mapping was created or closed (committed). */
public record TunnelMappingsChanged(long mappingId, boolean created) {}
