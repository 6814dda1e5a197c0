/**
 * Reverse tunnels: agents, public port mappings, the WebSocket relay endpoint, routing and stats.
 */
package io.sluice.tunnels;
