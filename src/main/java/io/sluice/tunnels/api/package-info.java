/**
 * Agent and mapping resources and the {@code /tunnel} WebSocket endpoint (docs/tunnel-protocol.md).
 */
package io.sluice.tunnels.api;
