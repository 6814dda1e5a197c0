/**
 * Destination and source address policy of the proxy engine: the open-proxy / SSRF guard.
 *
 * <ul>
 *   <li>{@link io.sluice.engine.policy.DefaultDestinationPolicy}: the engine's {@link
 *       io.sluice.engine.spi.DestinationPolicy}; denies special-purpose, internal and
 *       IPv4-embedding IPv6 ranges, the gateway's own addresses and port 0, with a global and
 *       per-user allow list and an optional extra deny list.
 *   <li>{@link io.sluice.engine.policy.Cidr}, {@link io.sluice.engine.policy.CidrPortRule}, {@link
 *       io.sluice.engine.policy.CidrPortList}: strict parsing and allocation-free matching of
 *       {@code CIDR} and {@code CIDR:PORTS} lists, reusable by configuration and admin code for
 *       validation.
 *   <li>{@link io.sluice.engine.policy.SourceWhitelist}: client source-address whitelists (proxy
 *       global and per-user, admin panel), IPv4-mapped aware.
 *   <li>{@link io.sluice.engine.policy.CommaList}: the one comma-separated list parser behind both
 *       list types and the settings code that keeps such lists as text.
 * </ul>
 *
 * <p>Dependencies: this package may use only {@code java.*}, {@code io.sluice.engine.spi} and
 * {@code inet.ipaddr} (com.github.seancfoley:ipaddress). It must never import Jakarta EE, JPA,
 * MicroProfile or Netty: it is called on event-loop threads for every connect and every UDP
 * datagram, so everything here is immutable, thread-safe and cheap.
 */
package io.sluice.engine.policy;
