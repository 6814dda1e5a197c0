/**
 * The typed admin client, shipped as {@code target/sluice-client.jar}: one JAX-RS interface per
 * resource of the admin API ({@link io.sluice.client.UsersApi}, {@link io.sluice.client.ExitsApi},
 * ...) with the records it sends and receives, and {@link io.sluice.client.SluiceClient}, which
 * turns the interfaces into calls over {@code java.net.http} with Jackson for JSON. A non-2xx
 * answer becomes a {@link io.sluice.client.SluiceApiException} carrying the server's problem
 * document.
 *
 * <p>A leaf: it depends on the JDK, the {@code jakarta.ws.rs} annotations and Jackson only, never
 * on a server package (checked by {@code ArchitectureTest}), so it runs in any plain JVM. Times are
 * ISO 8601 strings as the server sends them.
 */
package io.sluice.client;
