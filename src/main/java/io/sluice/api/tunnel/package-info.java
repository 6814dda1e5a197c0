/** The {@code /tunnel} WebSocket endpoint agents connect to (protocol: docs/tunnel-protocol.md). */
package io.sluice.api.tunnel;
