/**
 * Reverse-tunnel wire protocol, version 1 (see {@code docs/tunnel-protocol.md}): an agent behind
 * NAT holds one WebSocket (binary messages) to Sluice and many TCP streams are multiplexed over it.
 * This package holds only the pure-Java parts: the frame model ({@link
 * io.sluice.engine.tunnel.Frame}, whose field rules live in {@code FrameRules}), the codec ({@link
 * io.sluice.engine.tunnel.FrameCodec}, whose {@code decode} returns a {@link
 * io.sluice.engine.tunnel.DecodeResult} and never throws on bad input) and per-stream credit
 * bookkeeping ({@link io.sluice.engine.tunnel.FlowControl}). JDK only: no networking, no Netty, no
 * Jakarta EE / MicroProfile / JPA. Nothing here is thread-safe; confine each instance to the
 * connection's event loop.
 */
package io.sluice.engine.tunnel;
