/**
 * The exits domain: the JPA entities of exits, pools, providers, health checks and dedicated-port
 * assignments; the repository interfaces and other ports the exit services depend on (implemented
 * in {@code io.sluice.exits.infra}); the health-probe values; and the events fired when exits or
 * dedicated assignments change. Exit selection, which depends on the JDK only, lives in {@link
 * io.sluice.exits.domain.selection}.
 *
 * <p>Imports nothing of {@code app}, {@code api} or {@code infra}.
 */
package io.sluice.exits.domain;
