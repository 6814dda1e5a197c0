/**
 * Exit pools and the strategies that choose one exit per proxy connection.
 *
 * <p>An {@link io.sluice.domain.exits.ExitDirectory} is an immutable snapshot of every
 * {@link io.sluice.domain.exits.PoolSnapshot} (a named set of {@link io.sluice.domain.exits.ExitView}s
 * with a {@link io.sluice.domain.exits.Strategy} and an optional fallback pool). The host
 * builds a new directory when the database changes and swaps it in atomically; its
 * {@link io.sluice.domain.exits.ExitDirectory#select select} applies the country filter, the
 * health filter, the per-connection exclusions (retry budget), the pool's strategy and the
 * fallback chain, and answers a {@link io.sluice.domain.exits.Selection}: an exit, or the
 * reason there is none. Live state that outlives a snapshot is injected: connection counts
 * ({@link io.sluice.domain.exits.ConnectionCounts}) and the sticky-session table
 * ({@link io.sluice.domain.exits.StickySessions}).
 *
 * <p>Nothing here knows how to connect: the host maps an {@code ExitView} to the engine's
 * route. This package depends on nothing but the JDK (no Jakarta EE, JPA, MicroProfile or
 * Netty, and no other Sluice package); a test enforces it.
 */
package io.sluice.domain.exits;
