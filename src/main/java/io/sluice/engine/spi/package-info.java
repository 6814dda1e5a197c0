/**
 * The small service-provider interface the proxy engine calls for every policy decision:
 * who is this ({@link io.sluice.engine.spi.Authenticator}), may they go there
 * ({@link io.sluice.engine.spi.DestinationPolicy}), how do they leave
 * ({@link io.sluice.engine.spi.ExitSelector}), and what happened
 * ({@link io.sluice.engine.spi.EngineEvents}).
 *
 * <p>Plain Java only: nothing here may import Jakarta EE, MicroProfile or JPA. Adapters in
 * the gateway ({@code io.sluice.gateway}) and the features implement these interfaces on top of the database.
 */
package io.sluice.engine.spi;
