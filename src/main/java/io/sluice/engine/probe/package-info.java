/**
 * Exit health probes: {@link io.sluice.engine.probe.ProbeClient} sends one small HTTP/1.1 {@code
 * GET} through an {@link io.sluice.engine.spi.ExitRoute}, over the same {@link
 * io.sluice.engine.exit.Connector}s that carry user traffic, non-blocking on an engine event loop,
 * and reports a {@link io.sluice.engine.probe.ProbeOutcome}. Inside, one {@code Probe} per request
 * owns resolution, connect, the deadline and the outcome, and a {@code ProbeExchange} does the HTTP
 * request and response on the connected channel, after a {@code ProbeTls} handshake for {@code
 * https}. Depends on Netty, {@code io.sluice.engine.exit}, {@code io.sluice.engine.net} and {@code
 * io.sluice.engine.spi} only.
 */
package io.sluice.engine.probe;
