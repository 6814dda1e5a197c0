/**
 * Exit pools and the strategies that choose one exit per proxy connection, and the proxy-username
 * routing grammar ({@code alice-pool-residential-country-de-session-a1b2-ttl-30}).
 *
 * <p>An {@link io.sluice.exits.domain.ExitDirectory} is an immutable snapshot of every {@link
 * io.sluice.exits.domain.PoolSnapshot} (a named set of {@link io.sluice.exits.domain.ExitView}s with
 * a {@link io.sluice.exits.domain.Strategy} and an optional fallback pool); its {@code select}
 * applies the country filter, the health filter, the per-connection exclusions, the strategy and
 * the fallback chain. Live state that outlives a snapshot is injected ({@link
 * io.sluice.exits.domain.ConnectionCounts}, {@link io.sluice.exits.domain.StickySessions}). Nothing
 * here knows how to connect. Depends on nothing but the JDK.
 */
package io.sluice.exits.domain;
