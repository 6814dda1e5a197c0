/**
 * Tunnel persistence: JPA implementations of the agent and mapping repositories (native SQL on
 * {@code tunnel_agent} and {@code tunnel_mapping}).
 */
package io.sluice.tunnels.infra;
