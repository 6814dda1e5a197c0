/**
 * The server side of reverse tunnels: public ports whose connections are relayed as streams of
 * one agent's tunnel connection ({@link io.sluice.engine.mux.TunnelMux}), with per-stream credit
 * flow control, half-close, bandwidth shaping and an SPI ({@link io.sluice.engine.mux.TunnelRouter})
 * through which the host decides per connection. Plain Java and Netty; the frames and the codec
 * are those of {@link io.sluice.engine.tunnel}.
 */
package io.sluice.engine.mux;
