/**
 * Exit selection: exit pools and the strategies that choose one exit per proxy connection, and the
 * proxy-username routing grammar ({@code alice-pool-residential-country-de-session-a1b2-ttl-30}).
 *
 * <p>An {@link io.sluice.exits.domain.selection.ExitDirectory} is an immutable snapshot of every
 * {@link io.sluice.exits.domain.selection.PoolSnapshot} (a named set of {@link
 * io.sluice.exits.domain.selection.ExitView}s with a {@link
 * io.sluice.exits.domain.selection.Strategy} and an optional fallback pool); its {@code select}
 * applies the country filter, the health filter, the per-connection exclusions, the strategy and
 * the fallback chain. Live state that outlives a snapshot is injected ({@link
 * io.sluice.exits.domain.selection.ConnectionCounts}, {@link
 * io.sluice.exits.domain.selection.StickySessions}). Nothing here knows how to connect.
 *
 * <p>Rule: this package depends on the JDK only — no Jakarta EE, no JPA, no other Sluice package
 * (not even the rest of {@code io.sluice.exits.domain}), so the engine-side selection stays a
 * plain, fast, unit-testable library.
 */
package io.sluice.exits.domain.selection;
