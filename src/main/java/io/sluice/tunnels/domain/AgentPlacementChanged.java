package io.sluice.tunnels.domain;

/**
 * An agent's WebSocket is now held by this node ({@code connected}) or no longer is; the cluster
 * bus tells the other nodes, and every node re-decides where the agent's public ports are bound.
 */
public record AgentPlacementChanged(long agentId, String node, boolean connected) {}
