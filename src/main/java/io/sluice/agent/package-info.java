/**
 * The reverse-tunnel agent ({@code sluice-agent.jar}): holds one outbound WebSocket to Sluice,
 * speaks tunnel protocol v1 ({@code docs/tunnel-protocol.md}) and relays each stream the server
 * opens to a TCP target on the agent's side, but only to targets the local allow-list admits. A
 * stream travels in WebSocket frames or, with the protocol extension {@code direct}, over a TCP
 * data connection of its own to the server's data port. Plain JDK 21 ({@code java.net.http}
 * WebSocket, sockets, virtual threads); depends on nothing but {@code java.*}, {@code
 * javax.net.*}/{@code javax.security.*} and {@code io.sluice.engine.tunnel} (frame codec and flow
 * control). No Netty, no Jakarta EE.
 */
package io.sluice.agent;
