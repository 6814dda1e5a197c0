/**
 * The server side of reverse tunnels: public ports whose connections are relayed as streams of one
 * agent's tunnel connection ({@link io.sluice.engine.mux.TunnelMux}), with per-stream credit flow
 * control, half-close, bandwidth shaping and an SPI ({@link io.sluice.engine.mux.TunnelRouter})
 * through which the host decides per connection. Plain Java and Netty; the frames and the codec are
 * those of {@link io.sluice.engine.tunnel}.
 *
 * <p>One public connection is one stream, driven by {@code TunnelPortHandler} (routing, opening,
 * ending; the open handshake's routing, timeout and failure reasons in {@code StreamOpening}); its
 * bytes travel in frames mode ({@code FramesStream}: DATA/WINDOW/CLOSE over the agent's tunnel
 * connection) or direct mode ({@code DirectStream} with {@code DirectPeerHandler}: the agent's own
 * data connection), which share the client's unsent bytes and EOF ({@code ClientInput}). {@code
 * TunnelMux.open} answers with an {@code OpenResult}.
 */
package io.sluice.engine.mux;
