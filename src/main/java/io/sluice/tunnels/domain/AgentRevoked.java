package io.sluice.tunnels.domain;

/**
 * Fired when an agent may no longer hold a connection (disabled, token rotated, deleted): the node
 * that made the change drops it at once, other nodes through the cluster bus.
 */
public record AgentRevoked(long agentId, String reason) {}
