/**
 * Exit health probing: {@link io.sluice.infra.exits.ExitProbe} fetches an IP-echo URL
 * <em>through</em> an exit (direct, SOCKS5 or HTTP CONNECT) with one overall deadline and reports
 * whether the exit works and which public address it egresses from.
 *
 * <p>Plain blocking Java: the JDK and {@code com.github.seancfoley:ipaddress} only (no Jakarta
 * EE, no Netty), so it can run from any thread or scheduler the caller chooses.
 */
package io.sluice.infra.exits;
