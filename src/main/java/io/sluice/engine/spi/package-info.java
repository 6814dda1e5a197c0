/**
 * The small service-provider interface the proxy engine calls for every policy decision: who is
 * this ({@link io.sluice.engine.spi.Authenticator}), may they go there ({@link
 * io.sluice.engine.spi.DestinationPolicy}), how do they leave ({@link
 * io.sluice.engine.spi.ExitSelector}), and what happened ({@link
 * io.sluice.engine.spi.EngineEvents}).
 *
 * <p>Listener identity is typed: {@link io.sluice.engine.spi.ListenerTag} ({@code Socks}, {@code
 * Http}, {@code Mixed}, {@code Dedicated(userId)}, {@code Tunnel(mappingId)}, {@code TunnelDirect},
 * or {@code Named} for anything else) tags each {@link io.sluice.engine.config.ListenerConfig} and
 * comes back on every {@link io.sluice.engine.spi.ConnectionInfo#listenerTag()}. Hosts match on the
 * tag (for example {@code info.listenerTag() instanceof ListenerTag.Dedicated d}) instead of
 * parsing listener names; names remain, derived from the tag, for logs, metrics and the listener
 * map.
 *
 * <p>Plain Java only: nothing here may import Jakarta EE, MicroProfile or JPA. Adapters in the
 * gateway ({@code io.sluice.gateway}) and the features implement these interfaces on top of the
 * database.
 */
package io.sluice.engine.spi;
