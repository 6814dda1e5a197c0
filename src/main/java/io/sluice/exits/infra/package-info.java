/**
 * Adapters of the exits domain's ports: the JPA repositories ({@code Jpa*}: exits, pools,
 * providers, checks, dedicated assignments and the exit-monitor lease, the only native SQL of the
 * feature) and exit health probing: {@link io.sluice.exits.infra.ExitProbe} fetches an IP-echo URL
 * through an exit and reports the public address it egresses from ({@link
 * io.sluice.exits.domain.ExitProber}, produced by {@link io.sluice.exits.infra.ExitProbes}).
 */
package io.sluice.exits.infra;
