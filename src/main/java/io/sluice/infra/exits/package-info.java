/**
 * Exit health probing: {@link io.sluice.infra.exits.ExitProbe} fetches an IP-echo URL
 * <em>through</em> an exit (direct, SOCKS5 or HTTP CONNECT) with the engine's {@link
 * io.sluice.engine.probe.ProbeClient} (the connectors that carry user traffic) and reports
 * whether the exit works and which public address it egresses from.
 *
 * <p>No Jakarta EE beyond JSON-P ({@code jakarta.json}, for echo bodies) and no Netty: the JDK,
 * {@code com.github.seancfoley:ipaddress} and the engine's probe API.
 */
package io.sluice.infra.exits;
